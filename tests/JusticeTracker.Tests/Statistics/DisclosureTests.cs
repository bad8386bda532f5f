using JusticeTracker.Cases;
using JusticeTracker.Statistics;

namespace JusticeTracker.Tests.Statistics;

/// <summary>
/// The rules of disclosure control on small, hand-made lattices: no database, every figure known.
/// Three member countries (Kenya and Uganda in Eastern Africa, Senegal in Western Africa), k = 10.
/// </summary>
public sealed class DisclosureTests
{
    private const int K = 10;
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly StatisticsDomain Domain = new(["KE", "UG", "SN"], 2025, Today, AsOfGrain.Month, []);
    private static readonly MeasureCatalogue Measures = new(Domain.Currencies, Domain.Years);
    private readonly Disclosure disclosure = new(new DisclosureOptions { K = K });

    private static AtomRow Cases(string country, int count, Sex sex = Sex.Female, AgeBand age = AgeBand.Age12To14, string measure = "cases/All") =>
        new(country, 2026, age.ToString(), sex.ToString(), measure, count);

    private static Lattice Decide(params AtomRow[] rows)
    {
        var lattice = new Lattice(Domain, Measures, rows);
        lattice.Decide(K, null, []);
        return lattice;
    }

    private static int All => Measures.IndexOf("cases", "All");

    private static int Place(Lattice lattice, string? code, Sex? sex = null) =>
        lattice.Figure(Domain.PlaceIndex(code)!.Value, 0, 0, sex is { } s ? 1 + (int)s : 0);

    [Fact]
    public void zero_and_small_counts_are_withheld_alike_and_k_or_more_is_shown()
    {
        var lattice = Decide(Cases("KE", 30), Cases("UG", 15), Cases("SN", 12), Cases("KE", 3, Sex.Male));

        Assert.Equal(33, disclosure.Count(lattice, All, Place(lattice, "KE")).Value);
        var zero = disclosure.Count(lattice, All, Place(lattice, "UG", Sex.Male));
        var small = disclosure.Count(lattice, All, Place(lattice, "KE", Sex.Male));
        Assert.False(zero.IsShown);
        Assert.False(small.IsShown);
        Assert.Equal(zero.Reason, small.Reason);
    }

    [Fact]
    public void a_part_whose_total_exceeds_it_by_a_few_cases_is_withheld_and_the_total_stays()
    {
        // Kenya: 30 girls and 3 boys. Girls shown beside the total would give the boys away.
        var lattice = Decide(Cases("KE", 30), Cases("KE", 3, Sex.Male), Cases("UG", 40), Cases("SN", 40));

        Assert.True(lattice.IsShown(All, Place(lattice, "KE")));
        Assert.False(lattice.IsShown(All, Place(lattice, "KE", Sex.Female)));
        Assert.False(lattice.IsShown(All, Place(lattice, "KE", Sex.Male)));
    }

    [Fact]
    public void the_network_minus_the_countries_shown_never_leaves_a_few_cases()
    {
        // Senegal has 4 cases: the network and Kenya and Uganda shown would give them away.
        var lattice = Decide(Cases("KE", 30), Cases("UG", 40), Cases("SN", 4));
        var shown = Domain.Countries.Where(c => lattice.IsShown(All, Place(lattice, c))).Sum(c => lattice.Value(All, Place(lattice, c)));

        Assert.True(lattice.IsShown(All, Place(lattice, null)));
        var rest = lattice.Value(All, Place(lattice, null)) - shown;
        Assert.True(rest == 0 || rest >= K, $"the network minus the countries shown is {rest}");
    }

    [Fact]
    public void a_share_needs_both_counts_shown_and_their_difference_zero_or_at_least_k()
    {
        var reported = Measures.IndexOf("funnel", "CriminalJustice:Reported");
        var convicted = Measures.IndexOf("funnel", "CriminalJustice:Convicted");
        var track = "cases/Track:CriminalJustice";
        var lattice = Decide(
            Cases("KE", 40), Cases("KE", 40, measure: track), Cases("KE", 31, measure: "funnel/CriminalJustice:Reported"), Cases("KE", 1, measure: "funnel/CriminalJustice:Convicted"),
            Cases("UG", 40), Cases("UG", 40, measure: track), Cases("UG", 30, measure: "funnel/CriminalJustice:Reported"), Cases("UG", 25, measure: "funnel/CriminalJustice:Convicted"),
            Cases("SN", 40));
        var ke = Place(lattice, "KE");
        var ug = Place(lattice, "UG");

        // A 3 % conviction rate among 31 reported cases would be one conviction.
        Assert.False(disclosure.Share(lattice, convicted, ke, reported, ke).IsShown);

        // 25 of 30 leaves 5 reported cases without a conviction.
        Assert.False(disclosure.Share(lattice, convicted, ug, reported, ug).IsShown);
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(40, true)]
    public void a_percentile_needs_k_cases_below_it_and_k_beyond_its_rounding_step(int cases, bool shown)
    {
        List<(int Days, decimal Count)> histogram = [.. Enumerable.Range(0, cases).Select(i => (Days: 100 + (i * 3), Count: 1m))];
        var median = disclosure.Percentile(histogram, 0.5m, Published.Of(cases), new FigureRef(FigureKind.Percentile, 0, 0));

        Assert.Equal(shown, median.IsShown);
        if (median.Value is { } days)
        {
            Assert.Equal(0, days % 7);
        }
    }

    [Fact]
    public void a_tenth_percentile_of_ten_cases_is_never_one_childs_duration()
    {
        List<(int Days, decimal Count)> histogram = [.. Enumerable.Range(0, 10).Select(i => (Days: 30 + (i * 40), Count: 1m))];

        Assert.False(disclosure.Percentile(histogram, 0.1m, Published.Of(10), new FigureRef(FigureKind.Percentile, 0, 0)).IsShown);
    }

    [Fact]
    public void an_amount_one_case_dominates_is_withheld_and_others_are_rounded()
    {
        var cases = Published.Of(12);
        var reference = new FigureRef(FigureKind.Amount, 0, 0);
        decimal[] even = [.. Enumerable.Repeat(1234m, 12)];
        decimal[] dominated = [1_000_000m, .. Enumerable.Repeat(1000m, 11)];

        var shown = disclosure.Amount(false, cases, (even.Sum(), even.Sum(a => a * a)), [], reference);
        Assert.Equal(15000m, shown.Value);
        Assert.False(disclosure.Amount(false, cases, (dominated.Sum(), dominated.Sum(a => a * a)), [], reference).IsShown);
        Assert.False(disclosure.Amount(true, cases, (even.Sum(), even.Sum(a => a * a)), [], reference).IsShown);
    }

    [Fact]
    public void an_amount_whose_difference_from_a_wider_filter_one_case_dominates_is_withheld()
    {
        decimal[] narrow = [.. Enumerable.Repeat(1000m, 12)];
        decimal[] rest = [900_000m, .. Enumerable.Repeat(1000m, 11)];
        decimal[] wide = [.. narrow, .. rest];

        var amount = disclosure.Amount(false, Published.Of(12), (narrow.Sum(), narrow.Sum(a => a * a)), [(wide.Sum(), wide.Sum(a => a * a), true)], new FigureRef(FigureKind.Amount, 0, 0));

        Assert.False(amount.IsShown);
    }

    [Fact]
    public void as_of_dates_are_month_ends_before_today_from_the_first_year()
    {
        Assert.True(Domain.IsPermitted(new DateOnly(2026, 10, 31)));
        Assert.False(Domain.IsPermitted(new DateOnly(2026, 10, 30)));
        Assert.False(Domain.IsPermitted(new DateOnly(2026, 11, 30)));
        Assert.False(Domain.IsPermitted(new DateOnly(2024, 12, 31)));
        Assert.Equal(new DateOnly(2026, 10, 31), Domain.PermittedDates()[0]);
        Assert.Equal(22, Domain.PermittedDates().Count);
    }

    [Fact]
    public void quantiles_are_nearest_rank_on_the_histogram()
    {
        List<(int Days, decimal Count)> histogram = [(10, 1), (20, 2), (30, 1)];

        Assert.Equal(10, Reports.QuantileOf(histogram, 0.25m));
        Assert.Equal(20, Reports.QuantileOf(histogram, 0.5m));
        Assert.Equal(30, Reports.QuantileOf(histogram, 0.9m));
        Assert.Null(Reports.QuantileOf([], 0.5m));
    }
}
