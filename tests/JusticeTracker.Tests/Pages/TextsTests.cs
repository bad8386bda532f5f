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
            typeof(ChildRight), typeof(RightRespect), typeof(UserRole),
        ];

        var missing = labelled.SelectMany(t => Enum.GetNames(t).Select(n => $"{t.Name}.{n}"))
            .Concat(typeof(CaseEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEntry))).Select(t => $"Kind.{t.Name}"))
            .Where(key => !english.ContainsKey(key));
        Assert.Empty(missing);
    }
}
