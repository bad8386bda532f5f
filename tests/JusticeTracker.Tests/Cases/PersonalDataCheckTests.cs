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
    [InlineData("Born 12/04/2011 in the district", "exact date")]
    [InlineData("The child's name was given to the police", "\"name\"")]
    [InlineData("Meeting with the Mwangi family", "\"mwangi\"")]
    [InlineData("Fille née en ville", "\"née\"")]
    public void refuses_text_that_looks_like_personal_data_and_says_what_it_found(string text, string expected)
    {
        Assert.Contains(expected, check.Problem(text), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Hearing postponed twice; prosecutor on leave.")]
    [InlineData("Audiencia aplazada por falta de intérprete.")]
    [InlineData("Le juge a ordonné une audience à huis clos.")]
    [InlineData("")]
    [InlineData(null)]
    public void accepts_ordinary_case_notes(string? text)
    {
        Assert.Null(check.Problem(text));
    }

    [Fact]
    public void refuses_a_note_that_is_too_long()
    {
        Assert.Contains("at most 80 characters", check.Problem(new string('a', 81)), StringComparison.Ordinal);
    }
}
