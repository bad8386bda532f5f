using JusticeTracker.Statistics;

namespace JusticeTracker.Tests.Statistics;

/// <summary>The rules of disclosure control, one by one, with k = 10.</summary>
public sealed class DisclosureTests
{
    private readonly Disclosure disclosure = new(new DisclosureOptions { K = 10 });

    private static CountInContext Alone(decimal value) => new(value, [], []);

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(250, true)]
    public void a_count_from_1_to_k_minus_1_is_withheld_and_zero_or_k_and_more_is_shown(int count, bool shown)
    {
        var published = disclosure.Count(Alone(count));

        Assert.Equal(shown, published.IsShown);
        Assert.Equal(shown ? count : null, published.Value);
        Assert.Equal(shown ? null : Withheld.TooFew, published.Reason);
    }

    [Fact]
    public void a_count_whose_rest_of_the_total_is_small_is_withheld()
    {
        // 33 of 35 cases met the barrier: showing 33 beside 35 would say 2 did not.
        Assert.Equal(Withheld.Complement, disclosure.Count(new CountInContext(33, [], [], Total: 35)).Reason);
        Assert.True(disclosure.Count(new CountInContext(35, [], [], Total: 35)).IsShown);
        Assert.True(disclosure.Count(new CountInContext(25, [], [], Total: 35)).IsShown);
    }

    [Fact]
    public void a_count_that_differs_from_a_wider_filter_by_a_few_cases_is_withheld()
    {
        // Girls in Kenya 20, all children in Kenya 23: the difference points at 3 boys.
        Assert.Equal(Withheld.Difference, disclosure.Count(new CountInContext(20, [23, 60], [])).Reason);
        Assert.True(disclosure.Count(new CountInContext(20, [20, 60], [])).IsShown);
    }

    [Fact]
    public void one_small_neighbour_is_withheld_with_the_next_smallest_so_neither_can_be_worked_out()
    {
        var bySex = new Dictionary<string, decimal> { ["Female"] = 20, ["Male"] = 12, ["OtherOrUndisclosed"] = 3 };

        Assert.Equal(["Male", "OtherOrUndisclosed"], disclosure.Withhold(bySex).Order());
        Assert.True(disclosure.Count(new CountInContext(20, [], [new Neighbours(bySex, "Female")])).IsShown);
        Assert.Equal(Withheld.Neighbour, disclosure.Count(new CountInContext(12, [], [new Neighbours(bySex, "Male")])).Reason);
    }

    [Fact]
    public void withheld_neighbours_always_add_up_to_at_least_k()
    {
        var ages = new Dictionary<string, decimal> { ["0-5"] = 2, ["6-11"] = 3, ["12-14"] = 40, ["15-17"] = 5 };

        var withheld = disclosure.Withhold(ages);

        Assert.Equal(["0-5", "15-17", "6-11"], withheld.Order());
        Assert.Equal(10, withheld.Sum(w => ages[w]));

        // Three small ones adding up to 3 are still fewer than 10: the next smallest joins them.
        ages["0-5"] = 1;
        ages["6-11"] = 1;
        ages["15-17"] = 1;
        Assert.Contains("12-14", disclosure.Withhold(ages));
    }

    [Fact]
    public void an_as_of_figure_that_differs_from_today_by_a_few_cases_is_withheld()
    {
        Assert.Equal(Withheld.Date, disclosure.Count(new CountInContext(20, [], [], Today: 23)).Reason);
        Assert.True(disclosure.Count(new CountInContext(20, [], [], Today: 31)).IsShown);
    }

    [Fact]
    public void shares_medians_and_amounts_need_a_shown_basis_of_at_least_k_cases()
    {
        Assert.Equal(50, disclosure.Share(10, Published.Of(20), 20).Value);
        Assert.Equal(Withheld.Basis, disclosure.Share(4, Published.Hidden(Withheld.TooFew), 8).Reason);
        Assert.Equal(Withheld.Basis, disclosure.Share(0, Published.Of(0), 0).Reason);
        Assert.Equal(Withheld.Basis, Disclosure.Derived(125_000, Published.Hidden(Withheld.Neighbour)).Reason);
        Assert.Equal(125_000, Disclosure.Derived(125_000, Published.Of(12)).Value);
    }

    [Fact]
    public void as_of_a_past_day_counts_are_rounded_to_k_shares_use_them_and_amounts_are_not_shown()
    {
        var past = disclosure.ForPastDates();

        Assert.Equal(20, past.Count(Alone(29)).Value);
        Assert.Equal(Withheld.Basis, past.Share(15, Published.Of(20), 29).Reason);
        Assert.Equal(42, past.Share(59, Published.Of(120), 120).Value); // 50 of 120
        Assert.Equal(Withheld.Date, past.Amount(125_000, Published.Of(20)).Reason);
    }

    [Fact]
    public void with_a_reporting_resolution_counts_are_rounded_down_to_a_multiple_of_it()
    {
        var rounded = new Disclosure(new DisclosureOptions { K = 10, Resolution = 5 });

        Assert.Equal(20, rounded.Count(Alone(23)).Value);
        Assert.Equal(10, rounded.Count(Alone(10)).Value);
        Assert.Equal(0, rounded.Count(Alone(0)).Value);
    }

    [Fact]
    public void quantiles_are_nearest_rank_on_the_histogram()
    {
        List<(int Days, decimal Count)> histogram = [(10, 2), (20, 5), (61, 3)];

        Assert.Equal(10, Reports.QuantileOf(histogram, 0.1m));
        Assert.Equal(20, Reports.QuantileOf(histogram, 0.5m));
        Assert.Equal(61, Reports.QuantileOf(histogram, 0.75m));
        Assert.Null(Reports.QuantileOf([], 0.5m));
    }
}
