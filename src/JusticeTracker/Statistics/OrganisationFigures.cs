using JusticeTracker.Access.Directory;
using JusticeTracker.Cases;
using JusticeTracker.Cases.Reading;
using Marten;

namespace JusticeTracker.Statistics;

/// <summary>
/// An organisation's own figures: the analysts' tables over its cases only, and a comparison of
/// its headline figures with its country's and the network's.
/// </summary>
/// <param name="Organisation">The organisation whose cases are counted.</param>
/// <param name="Report">Every figure as it is, without disclosure control: the organisation's members can already open each of these cases.</param>
/// <param name="Comparison">The organisation, its country and the network side by side; the country's and the network's figures are published ones.</param>
public sealed record OrganisationReport(Organisation Organisation, Report Report, ReportTable Comparison);

/// <summary>
/// Builds an organisation's own figures. They are counted when asked for, from the case documents
/// and entries of one organisation, with the same <see cref="Facts"/> as the network's statistics,
/// into a lattice of the network's shape that is shown whole; the report is then built by the very
/// code that builds the analysts' one.
/// </summary>
/// <remarks>
/// The comparison is where the network's figures meet figures the reader knows exactly. A member
/// who subtracts their own organisation's count from a published count learns the other
/// organisations' count; so a country's or the network's figure is shown only when what it adds to
/// the organisation's own is none or at least k cases, on top of disclosure control as usual.
/// </remarks>
public sealed class OrganisationFigures(Reports reports)
{
    /// <summary>Cases read at a time, with their entries.</summary>
    private const int Chunk = 500;

    public async Task<OrganisationReport> BuildAsync(IQuerySession session, Organisation organisation, ReportFilter filter, CancellationToken ct)
    {
        // Only the filters an organisation's figures take: its cases are its place, and they are counted as they stand today.
        filter = filter with { Place = null, AsOf = null };
        var network = await reports.RecentLatticeAsync(filter.View, ct);
        var own = new Lattice(network.Domain, network.Measures, await AtomsAsync(session, organisation.Id, filter.View, ct));
        own.ShowAll();

        var report = reports.BuildUncontrolled(filter, own);
        report = report with
        {
            // The countries its cases are in; the others would only be rows of zeros.
            Tables = [.. report.Tables.Select(t => t.Id != "countries" ? t : t with { Rows = [.. t.Rows.Where(r => r.Cells[0].Value > 0)] })],
        };
        return new OrganisationReport(organisation, report, Compare(own, network, filter, organisation.Country));
    }

    /// <summary>
    /// What the organisation's cases count, for one view, as rows of the statistics tables: every
    /// figure of every case, in the cells of that view.
    /// </summary>
    private static async Task<List<AtomRow>> AtomsAsync(IQuerySession session, string organisationId, FigureView figureView, CancellationToken ct)
    {
        var view = figureView.Key;
        var rows = new List<AtomRow>();
        var cases = await session.Query<Case>().Where(c => c.OrganisationId == organisationId).ToListAsync(ct);
        foreach (var chunk in cases.Chunk(Chunk))
        {
            var ids = chunk.Select(c => c.Id).ToArray();

            // Every entry, not only those standing: a barrier overcome may name a version of it that was corrected since.
            var entries = (await session.Query<CaseEntryView>().Where(v => ids.Contains(v.CaseId)).OrderBy(v => v.Position).ToListAsync(ct))
                .ToLookup(v => v.CaseId, v => v.AsRecorded());
            foreach (var stored in chunk)
            {
                var @case = stored with { Entries = [.. entries[stored.Id]] };
                foreach (var (key, value) in Facts.Of(@case).Where(f => f.Key.Cell.Form == view))
                {
                    rows.Add(new AtomRow(key.Cell.Country, key.Cell.Year, key.Cell.AgeBand.ToString(), key.Cell.Sex.ToString(), $"{key.Family}/{key.Measure}", value));
                }
            }
        }

        return rows;
    }

    /// <summary>The organisation's headline figures beside its country's and the network's, under the same filter.</summary>
    private ReportTable Compare(Lattice own, Lattice network, ReportFilter filter, string country)
    {
        var domain = network.Domain;
        var measures = network.Measures;
        var k = reports.Disclosure.K;
        int FigureOf(int place) => network.Figure(filter with { Place = place == 0 ? null : domain.Places[place].Code });
        int IndexOf(MeasureName m) => measures.IndexOf(m.Family, m.Name);
        static bool Small(int n, int k) => n > 0 && n < k;

        ReportRow Own() => new("This organisation", [.. Reports.Comparisons.Select(c => c.Basis is { } basis
            ? Disclosure.None.Share(own, IndexOf(c.Part), FigureOf(0), IndexOf(basis), FigureOf(0))
            : Disclosure.None.Count(own, IndexOf(c.Part), FigureOf(0)))]);

        ReportRow Published(string label, int place)
        {
            var figure = FigureOf(place);
            int Others(MeasureName m) => network.Value(IndexOf(m), figure) - own.Value(IndexOf(m), figure);
            return new(label, [.. Reports.Comparisons.Select(c =>
            {
                var published = c.Basis is { } basis
                    ? reports.Disclosure.Share(network, IndexOf(c.Part), figure, IndexOf(basis), figure)
                    : reports.Disclosure.Count(network, IndexOf(c.Part), figure);

                // What the other organisations' cases add, and for a share the gap between its two counts there too.
                var revealing = Small(Others(c.Part), k) || (c.Basis is { } b && (Small(Others(b), k) || Small(Others(b) - Others(c.Part), k)));
                return revealing ? Statistics.Published.Hidden() with { Source = published.Source } : published;
            })]);
        }

        List<ReportRow> rows = [Own()];
        if (domain.PlaceIndex(country) is { } place and > 0)
        {
            rows.Add(Published($"Country.{country}", place));
        }

        rows.Add(Published("The whole network", 0));
        return new ReportTable("comparison", "Compared with the country and the network", "Cases of", [.. Reports.Comparisons.Select(c => c.Column)], rows);
    }
}
