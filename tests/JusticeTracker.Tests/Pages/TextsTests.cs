using System.Xml.Linq;
using JusticeTracker.Cases;

namespace JusticeTracker.Tests.Pages;

/// <summary>Every text exists in English, French and Spanish, and every code of the taxonomy has a label.</summary>
public sealed class TextsTests
{
    private static readonly string Resources = Path.Combine(FindRepository(), "src", "JusticeTracker", "Resources");

    private static string FindRepository()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "JusticeTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }

    private static Dictionary<string, string> Load(string suffix) =>
        XDocument.Load(Path.Combine(Resources, $"SharedResource{suffix}.resx")).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Theory]
    [InlineData(".fr")]
    [InlineData(".es")]
    public void every_key_exists_in_every_language_with_a_text(string suffix)
    {
        var english = Load("");
        var other = Load(suffix);

        Assert.Empty(english.Keys.Except(other.Keys));
        Assert.Empty(other.Keys.Except(english.Keys));
        Assert.DoesNotContain(other, t => string.IsNullOrWhiteSpace(t.Value));
    }

    /// <summary>
    /// Every sentence the case decisions and forms can refuse with is a text of its own, so a
    /// lawyer reads the refusal in their language. The sentences are read from the source files,
    /// so a new one without a text fails here.
    /// </summary>
    [Fact]
    public void every_refusal_a_case_form_can_show_has_a_text()
    {
        var english = Load("");
        string[] files =
        [
            "Cases/Recording/RecordEntry.cs", "Cases/Opening/OpenCase.cs", "Cases/ProfileRules.cs", "Cases/PersonalDataCheck.cs",
            "Pages/Cases/EntryForm.cs", "Pages/Cases/Open.cshtml.cs", "Pages/Cases/Record.cshtml.cs",
            "Cases/Reviewing/ReviewNote.cs", "Pages/Reviews/Index.cshtml.cs", "Cases/WritePath.cs", "Cases/CaseProblems.cs",
            "Cases/Erasing/EraseCase.cs", "FollowUps/ActOnFollowUp.cs", "Cases/Pathways/Pathways.cs",
        ];
        var sentences = Sentences(files);

        Assert.DoesNotContain(sentences, s => !english.ContainsKey(s));
        Assert.True(english.ContainsKey(CaseProblems.StaleDetail));
    }

    /// <summary>The same for the administration forms: every refusal of the directory and every confirmation.</summary>
    [Fact]
    public void every_refusal_and_confirmation_an_administration_form_can_show_has_a_text()
    {
        var english = Load("");
        var sentences = Sentences("Access/Directory/DirectoryCommands.cs", "Pages/Admin/Organisations.cshtml.cs", "Pages/Admin/Members.cshtml.cs");

        Assert.NotEmpty(sentences);
        Assert.DoesNotContain(sentences, s => !english.ContainsKey(s));
        Assert.True(english.ContainsKey(JusticeTracker.Access.Directory.DirectoryCommands.AlreadyMember));
    }

    /// <summary>The sentences quoted in the source files: a capital, at least a dozen characters, a full stop or question mark.</summary>
    private static List<string> Sentences(params string[] files) =>
        [.. files
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(Resources, "..", f)), "\"([A-Z][^\"{}]{12,}[.?])\"").Select(m => m.Groups[1].Value))
            .Distinct()];

    [Fact]
    public void every_code_of_the_taxonomy_and_every_kind_of_entry_has_a_label()
    {
        var english = Load("");
        Type[] labelled =
        [
            typeof(Track), typeof(TrackStatus), typeof(CaseStatus), typeof(Stage), typeof(DatePrecision), typeof(AgeBand), typeof(Sex),
            typeof(ExploitationForm), typeof(YesNoUnknown), typeof(ReportChannel), typeof(DeclineReason), typeof(ChildFriendlyMeasure),
            typeof(VerdictOutcome), typeof(AppealOutcome), typeof(CriminalClosureReason), typeof(RecoveryService), typeof(ReintegrationResult),
            typeof(ClaimRoute), typeof(ClaimRejectionReason), typeof(EnforcementFailure), typeof(BarrierCategory), typeof(BarrierSeverity),
            typeof(ChildRight), typeof(RightRespect), typeof(UserRole), typeof(JusticeTracker.FollowUps.FollowUpRule), typeof(JusticeTracker.FollowUps.FollowUpStatus),
            typeof(NoteField),
        ];

        var missing = labelled.SelectMany(t => Enum.GetNames(t).Select(n => $"{t.Name}.{n}"))
            .Concat(typeof(CaseEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEntry))).Select(t => $"Kind.{t.Name}"))

            // What the review queue says a held text may contain.
            .Concat(Enum.GetNames<PersonalDataKind>().Select(n => $"MayContain.{n}"))
            .Where(key => !english.ContainsKey(key));
        Assert.Empty(missing);
    }
}
