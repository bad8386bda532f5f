using System.Text.Json.Serialization;
using JusticeTracker.Cases;

namespace JusticeTracker.Tests.Cases;

/// <summary>The table of entry kinds is the one list everything reads: it must name every entry, once, as its JSON does.</summary>
public sealed class EntryKindsTests
{
    [Fact]
    public void the_table_names_every_kind_of_entry_once()
    {
        var entries = typeof(CaseEntry).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CaseEntry)) && !t.IsAbstract).ToHashSet();

        Assert.Equal(entries.OrderBy(t => t.Name), EntryKinds.Types.OrderBy(t => t.Name));
        Assert.Equal(EntryKinds.All.Count, EntryKinds.Types.Distinct().Count());
    }

    [Fact]
    public void each_kind_is_written_in_json_under_its_name()
    {
        var derived = typeof(CaseEntry).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>()
            .ToDictionary(a => a.DerivedType, a => (string)a.TypeDiscriminator!);

        Assert.All(EntryKinds.All, k => Assert.Equal(k.Name, derived[k.Type]));
        Assert.Equal(EntryKinds.All.Count, derived.Count);
    }

    [Fact]
    public void a_stage_belongs_to_the_track_its_kind_is_chosen_under()
    {
        Assert.All(EntryKinds.All.Where(k => k.Stage is not null), k => Assert.Equal(k.Track, k.Stage!.Value.TrackOf()));
        Assert.Equal(Stage.Verdict, new VerdictDelivered(VerdictOutcome.Convicted).Stage);
        Assert.Null(new CaseClosed().Stage);
    }
}
