using System.Text;
using JusticeTracker.Cases;

namespace JusticeTracker.Tests.Cases;

public sealed class PersonalDataCheckTests
{
    private readonly PersonalDataCheck check = new(new PersonalDataOptions { BlockedWords = ["Mwangi"], MaxNoteLength = 80 });

    [Theory]
    [InlineData("Call 0712 345 678 after school hours", "phone number")]
    [InlineData("contact: help.desk@example.org", "e-mail")]
    [InlineData("see https://example.org/case", "web link")]
    [InlineData("National ID 23456789 on file", "identity")]
    [InlineData("Born 12/04/2011 in the district", "date of birth")]
    [InlineData("Fille née le 3 mai 2011 en ville", "date of birth")]
    [InlineData("Meeting with the Mwangi family", "\"mwangi\"")]
    [InlineData("Groomer wrote as @sweet_daddy_88", "social-media account")]
    [InlineData("She lives on Moi Avenue, house 14", "address")]
    [InlineData("Grade 5B at Kilimani Primary School", "school")]
    [InlineData("Police file CR 45/2022 opened", "file number")]
    [InlineData("The matatu KBX 123A was used", "registration plate")]
    [InlineData("Uploads came from 41.90.123.45", "IP address")]
    [InlineData("Brothel at -4.0435, 39.6682", "coordinates")]
    [InlineData("Her uncle Joseph took her there", "name")]
    [InlineData("Child A.W. was interviewed", "initials")]
    public void refuses_text_that_looks_like_personal_data_and_says_what_it_found(string text, string expected)
    {
        Assert.Contains(expected, check.Problem(text), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Hearing postponed twice; prosecutor on leave.")]
    [InlineData("Audiencia aplazada por falta de intérprete.")]
    [InlineData("Le juge a ordonné une audience à huis clos.")]
    [InlineData("The child's name was given to the police.")]
    [InlineData("Fille née en ville.")]
    [InlineData("Aged 14; hearing in March 2024.")]
    [InlineData("")]
    [InlineData(null)]
    public void accepts_ordinary_case_notes(string? text)
    {
        Assert.Null(check.Find(text));
    }

    /// <summary>The review queue relies on this: an unknown capitalised word is possibly a name, so it is stored for review.</summary>
    [Fact]
    public void an_unknown_capitalised_word_inside_a_sentence_is_possibly_a_name()
    {
        var finding = check.Find("Hearing postponed because Zorvathi did not attend.", "KE");

        Assert.NotNull(finding);
        Assert.Equal(PersonalDataKind.Name, finding.Kind);
        Assert.False(finding.Certain);
        Assert.Null(check.Problem("Hearing postponed because Zorvathi did not attend.", "KE"));
    }

    [Fact]
    public void a_name_the_gazetteer_knows_is_refused()
    {
        var finding = check.Find("Hearing postponed because Otieno did not attend.", "KE");

        Assert.Equal(PersonalDataKind.Name, finding?.Kind);
        Assert.True(finding?.Certain);
    }

    [Theory]
    [InlineData("Email: wanjiru.kamаu@gmаil.com", PersonalDataKind.Email)]
    [InlineData("Phone ０７１２ ３４５ ６７８", PersonalDataKind.Phone)]
    [InlineData("Contact mary\u200b.odhiambo@gmail\u200b.com", PersonalDataKind.Email)]
    [InlineData("Number 0712\u200b345\u200b678", PersonalDataKind.Phone)]
    [InlineData("Child Wan\u00adjiru stays at the shelter", PersonalDataKind.Name)]
    [InlineData("Her number is zero seven one two three four five six", PersonalDataKind.Phone)]
    [InlineData("Contact amina dot yusuf at yahoo dot com", PersonalDataKind.Email)]
    public void sees_through_look_alike_letters_invisible_characters_and_numbers_in_words(string text, PersonalDataKind kind)
    {
        Assert.Equal(kind, check.Find(text)?.Kind);
        Assert.True(check.Find(text)?.Certain);
    }

    [Fact]
    public void reads_phone_numbers_in_the_case_country()
    {
        // Eight digits with no word around them: a Guatemalan mobile for a case in Guatemala, a doubt elsewhere.
        Assert.True(check.Find("Tía: 5512 3478 de noche", "GT")?.Certain);
        Assert.False(check.Find("Tía: 5512 3478 de noche")?.Certain);
    }

    [Fact]
    public void the_message_names_the_kind_and_never_repeats_what_was_typed()
    {
        var finding = check.Find("Mother's email is wanjiru.kamau@gmail.com", "KE");

        Assert.Equal(PersonalDataKind.Email, finding?.Kind);
        Assert.DoesNotContain("wanjiru", finding!.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("gmail", finding.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void refuses_a_note_that_is_too_long()
    {
        Assert.Contains("at most 80 characters", check.Problem(new string('a', 81)), StringComparison.Ordinal);
    }

    /// <summary>Hostile notes (what makes a backtracking pattern slow) are checked to the end, not timed out.</summary>
    [Theory]
    [InlineData("@")]
    [InlineData("a.")]
    [InlineData("1 ")]
    [InlineData("A. ")]
    [InlineData("a at b dot ")]
    [InlineData("Ab ")]
    [InlineData("-1.0000,")]
    [InlineData("x@y.")]
    public void a_hostile_note_is_checked_to_the_end(string repeated)
    {
        var hostile = new PersonalDataCheck(new PersonalDataOptions());
        var text = new StringBuilder();
        while (text.Length + repeated.Length <= 500)
        {
            text.Append(repeated);
        }

        var finding = hostile.Find(text.ToString());

        Assert.NotEqual(PersonalDataCheck.NotChecked, finding?.Message);
    }
}
