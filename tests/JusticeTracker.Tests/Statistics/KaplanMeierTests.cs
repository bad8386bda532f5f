using JusticeTracker.Statistics;

namespace JusticeTracker.Tests.Statistics;

/// <summary>The Kaplan–Meier estimator against values worked out by hand and a published textbook example.</summary>
public sealed class KaplanMeierTests
{
    private static Waiting Reached(double time) => new(time, true);

    private static Waiting StillWaiting(double time) => new(time, false);

    [Fact]
    public void a_small_example_with_ties_and_censoring_gives_the_values_worked_out_by_hand()
    {
        // Six cases: reached at 2; one left unreached at 3 while two reached at 3; reached at 5; unreached at 8.
        var steps = KaplanMeier.Estimate([Reached(2), StillWaiting(3), Reached(3), Reached(3), Reached(5), StillWaiting(8)]);

        Assert.Equal([(2.0, 6, 1, 0), (3.0, 5, 2, 1), (5.0, 2, 1, 0), (8.0, 1, 0, 1)], steps.Select(s => (s.Time, s.AtRisk, s.Reached, s.Censored)));

        // S(2) = 5/6; S(3) = 5/6 × (1 − 2/5) = 1/2 (the case censored at 3 is at risk at 3); S(5) = 1/2 × (1 − 1/2) = 1/4.
        Assert.Equal([5.0 / 6, 0.5, 0.25, 0.25], steps.Select(s => s.Waiting), new Tolerance(1e-12));

        // Greenwood: Σ d/(n(n−d)) = 1/30, then + 2/15 = 1/6, then + 1/2 = 2/3.
        Assert.Equal((5.0 / 6) * Math.Sqrt(1.0 / 30), steps[0].StandardError, 1e-12);
        Assert.Equal(0.5 * Math.Sqrt(1.0 / 6), steps[1].StandardError, 1e-12);
        Assert.Equal(0.25 * Math.Sqrt(2.0 / 3), steps[2].StandardError, 1e-12);

        // The band on log(−log S) at 3: se = √(1/6) ÷ ln 2, bounds ½^exp(±1.96·se).
        var se = Math.Sqrt(1.0 / 6) / Math.Log(2);
        Assert.Equal(Math.Pow(0.5, Math.Exp(KaplanMeier.Z95 * se)), steps[1].Lower, 1e-12);
        Assert.Equal(Math.Pow(0.5, Math.Exp(-KaplanMeier.Z95 * se)), steps[1].Upper, 1e-12);
        Assert.Equal((0.110948, 0.803709), (Math.Round(steps[1].Lower, 6), Math.Round(steps[1].Upper, 6)));
    }

    /// <summary>
    /// Freireich et al.'s 6-MP arm (Gehan 1965), the remission times of 21 patients, 12 censored:
    /// the worked example of Kleinbaum and Klein, Survival Analysis (ch. 2), and of R's survival
    /// package. The published estimates, standard errors and log(−log) bands, to three places.
    /// </summary>
    [Fact]
    public void the_textbook_six_mp_example_gives_the_published_estimates()
    {
        double[] relapsed = [6, 6, 6, 7, 10, 13, 16, 22, 23];
        double[] censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
        var steps = KaplanMeier.Estimate([.. relapsed.Select(Reached), .. censored.Select(StillWaiting)]).Where(s => s.Reached > 0).ToList();

        Assert.Equal([6.0, 7, 10, 13, 16, 22, 23], steps.Select(s => s.Time));
        Assert.Equal([21, 17, 15, 12, 11, 7, 6], steps.Select(s => s.AtRisk));
        Assert.Equal([0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448], steps.Select(s => Math.Round(s.Waiting, 3)));
        Assert.Equal([0.076, 0.087, 0.096, 0.107, 0.114, 0.128, 0.135], steps.Select(s => Math.Round(s.StandardError, 3)));
        Assert.Equal((0.620, 0.952), (Math.Round(steps[0].Lower, 3), Math.Round(steps[0].Upper, 3)));
        Assert.Equal((0.188, 0.680), (Math.Round(steps[^1].Lower, 3), Math.Round(steps[^1].Upper, 3)));
    }

    [Fact]
    public void without_censoring_the_curve_is_the_share_still_waiting()
    {
        var steps = KaplanMeier.Estimate([Reached(1), Reached(2), Reached(2), Reached(4)]);

        Assert.Equal([0.75, 0.25, 0.0], steps.Select(s => s.Waiting), new Tolerance(1e-12));
        Assert.Equal((0.0, 0.0), (steps[^1].Lower, steps[^1].Upper));
        Assert.Equal(1.0, KaplanMeier.WaitingAt(steps, 0.5));
        Assert.Equal(0.75, KaplanMeier.WaitingAt(steps, 1), 12);
        Assert.Equal(0.75, KaplanMeier.WaitingAt(steps, 1.99), 12);
        Assert.Equal(0.25, KaplanMeier.WaitingAt(steps, 3), 12);
    }

    [Fact]
    public void no_case_or_only_censored_cases_leave_the_curve_at_one_and_a_negative_wait_is_refused()
    {
        Assert.Empty(KaplanMeier.Estimate([]));
        var censored = KaplanMeier.Estimate([StillWaiting(3), StillWaiting(5)]);
        Assert.All(censored, s => Assert.Equal((1.0, 0), (s.Waiting, s.Reached)));
        Assert.Throws<ArgumentException>(() => KaplanMeier.Estimate([Reached(-1)]));
    }

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
