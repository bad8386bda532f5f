using System.Globalization;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Transferring;

namespace JusticeTracker.Statistics;

/// <summary>
/// How one case event moves the figures: the only copy of that rule. The async projection calls
/// it for each event of a batch, and the in-memory rebuild for each event of the whole store, so
/// the two cannot count differently.
/// </summary>
public static class Counting
{
    /// <summary>
    /// Counts one event of a case (<see cref="CaseOpened"/>, a <see cref="CaseEntry"/>, or a
    /// <see cref="TransferAccepted"/>, which may move it to another country): folds
    /// the case, adds what changed to the sums on the day the event was recorded, and to the
    /// case's history of changes, which erasure takes back out.
    /// </summary>
    public static Counted Count(Counted before, object data, long version, CaseStatistics statistics, FigureSums sums)
    {
        var after = Counted.Of(data switch
        {
            CaseOpened opened => Case.Open(opened),
            CaseEntry entry when before.Case is not null => before.Case.Record(entry),

            // A case moved to another country counts there from the day it moved.
            TransferAccepted moved when before.Case is not null => before.Case.WithTransfer(moved),
            _ => before.Case,
        });
        statistics.Version = version;
        var day = DateOnly.FromDateTime((data switch
        {
            CaseOpened o => o.RecordedAt,
            TransferAccepted t => t.At,
            _ => ((CaseEntry)data).Entry.RecordedAt,
        }).UtcDateTime);
        foreach (var (key, value) in Counted.Difference(before, after))
        {
            sums.Add(key, day, value);
            statistics.History.Add(Line(day, key, value));
        }

        return after;
    }

    /// <summary>Takes every change an erased case made back out of the sums, on the days it made them.</summary>
    public static void TakeOut(CaseStatistics gone, FigureSums sums)
    {
        foreach (var line in gone.History)
        {
            var (recorded, key, value) = Parse(line);
            sums.Add(key, recorded, -value);
        }
    }

    private static string Line(DateOnly day, FactKey key, decimal value) => string.Join('|',
        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), key.Cell.Country, key.Cell.Year.ToString(CultureInfo.InvariantCulture),
        key.Cell.AgeBand, key.Cell.Sex, key.Cell.Form, key.Family, key.Measure, value.ToString(CultureInfo.InvariantCulture));

    private static (DateOnly Day, FactKey Key, decimal Value) Parse(string line)
    {
        var p = line.Split('|');
        var cell = new Cell(p[1], int.Parse(p[2], CultureInfo.InvariantCulture), Enum.Parse<AgeBand>(p[3]), Enum.Parse<Sex>(p[4]), p[5]);
        return (DateOnly.ParseExact(p[0], "yyyy-MM-dd", CultureInfo.InvariantCulture), new FactKey(cell, p[6], p[7]), decimal.Parse(p[8], CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// A state of a case with what it counts, worked out once: each event's state is the next
/// event's "before". The figures are compared before they are placed in the case's cells, so
/// an entry that moves three figures costs three changes per cell, not a comparison of every
/// figure in every cell. Only a profile correction moves the case to other cells.
/// </summary>
public sealed record Counted(Case? Case, IReadOnlyList<Cell> Cells, Dictionary<(string Family, string Measure), decimal> Figures)
{
    public static readonly Counted Nothing = new(null, [], []);

    public static Counted Of(Case? @case) => @case is null ? Nothing : new(@case, Facts.CellsOf(@case), Facts.Figures(@case));

    public static Dictionary<FactKey, decimal> Difference(Counted before, Counted after)
    {
        if (before.Cells.SequenceEqual(after.Cells))
        {
            var changed = new Dictionary<(string Family, string Measure), decimal>();
            foreach (var (figure, value) in after.Figures)
            {
                if (value != before.Figures.GetValueOrDefault(figure))
                {
                    changed[figure] = value - before.Figures.GetValueOrDefault(figure);
                }
            }

            foreach (var (figure, value) in before.Figures)
            {
                if (!after.Figures.ContainsKey(figure) && value != 0)
                {
                    changed[figure] = -value;
                }
            }

            return Facts.Spread(after.Cells, changed);
        }

        var difference = Facts.Spread(after.Cells, after.Figures);
        foreach (var (key, value) in Facts.Spread(before.Cells, before.Figures))
        {
            difference[key] = difference.GetValueOrDefault(key) - value;
        }

        return difference.Where(d => d.Value != 0).ToDictionary();
    }
}

/// <summary>Sums of changes to the figures: now, and by the day each change was recorded.</summary>
public sealed class FigureSums
{
    public Dictionary<FactKey, decimal> Now { get; } = [];

    public Dictionary<(FactKey Key, DateOnly Day), decimal> Daily { get; } = [];

    public void Add(FactKey key, DateOnly day, decimal value)
    {
        Now[key] = Now.GetValueOrDefault(key) + value;
        Daily[(key, day)] = Daily.GetValueOrDefault((key, day)) + value;
    }

    /// <summary>Adds another worker's sums to these.</summary>
    public void Add(FigureSums other)
    {
        foreach (var (key, value) in other.Now)
        {
            Now[key] = Now.GetValueOrDefault(key) + value;
        }

        foreach (var (key, value) in other.Daily)
        {
            Daily[key] = Daily.GetValueOrDefault(key) + value;
        }
    }
}
