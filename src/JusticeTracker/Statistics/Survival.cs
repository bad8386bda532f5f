namespace JusticeTracker.Statistics;

/// <summary>
/// One case's wait for a milestone: how long it waited, and whether the milestone came (an event)
/// or the case was still waiting at its last activity (censored).
/// </summary>
public readonly record struct Waiting(double Time, bool Reached);

/// <summary>
/// A step of a survival curve: at <see cref="Time"/>, how many cases were still waiting just before
/// it (<see cref="AtRisk"/>), how many reached the milestone then, how many left the count unreached
/// then, and the estimated share still waiting just after it, with its confidence band.
/// </summary>
public sealed record SurvivalStep(double Time, int AtRisk, int Reached, int Censored, double Waiting, double StandardError, double Lower, double Upper);

/// <summary>
/// The Kaplan–Meier estimator of the share of cases still waiting for a milestone, for cases that
/// have not all reached it yet. A case still open is counted as waiting up to its last activity
/// and no further (censored), instead of being left out (which makes the wait look shorter) or
/// counted as never reaching it (which makes it look longer).
/// <list type="bullet">
/// <item>At each time a milestone is reached, the share still waiting is multiplied by
/// 1 − reached ÷ at risk. Cases censored at that same time count as at risk then: they waited that
/// long without reaching it (the usual convention, and R's).</item>
/// <item>The standard error is Greenwood's: S·√Σ d/(n(n−d)).</item>
/// <item>The confidence band is taken on log(−log S) (Kalbfleisch and Prentice), so it stays between
/// 0 and 1 and is not symmetric where the share is near either end; where S is 1 or 0 the band is
/// the point.</item>
/// </list>
/// </summary>
public static class KaplanMeier
{
    /// <summary>The normal quantile for a two-sided 95 % band.</summary>
    public const double Z95 = 1.959963984540054;

    public static IReadOnlyList<SurvivalStep> Estimate(IEnumerable<Waiting> waits, double z = Z95)
    {
        var sorted = waits.OrderBy(w => w.Time).ToList();
        if (sorted.Any(w => double.IsNaN(w.Time) || w.Time < 0))
        {
            throw new ArgumentException("A wait is a time of zero or more.", nameof(waits));
        }

        var steps = new List<SurvivalStep>();
        var atRisk = sorted.Count;
        var waiting = 1.0;
        var greenwood = 0.0;
        var i = 0;
        while (i < sorted.Count)
        {
            var time = sorted[i].Time;
            var reached = 0;
            var censored = 0;
            for (; i < sorted.Count && sorted[i].Time == time; i++)
            {
                if (sorted[i].Reached)
                {
                    reached++;
                }
                else
                {
                    censored++;
                }
            }

            if (reached > 0)
            {
                waiting *= 1 - ((double)reached / atRisk);
                greenwood = reached < atRisk ? greenwood + (reached / ((double)atRisk * (atRisk - reached))) : double.PositiveInfinity;
                var (lower, upper) = Band(waiting, greenwood, z);
                steps.Add(new SurvivalStep(time, atRisk, reached, censored, waiting, waiting * Math.Sqrt(greenwood is double.PositiveInfinity ? 0 : greenwood), lower, upper));
            }
            else
            {
                // A time when cases only left the count: no step in the curve, but the count is
                // kept so a table can say how many were censored when.
                var last = steps.Count > 0 ? steps[^1] : null;
                steps.Add(new SurvivalStep(time, atRisk, 0, censored, waiting, last?.StandardError ?? 0, last?.Lower ?? 1, last?.Upper ?? 1));
            }

            atRisk -= reached + censored;
        }

        return steps;
    }

    /// <summary>The share still waiting after <paramref name="time"/>: the curve is a step function, right-continuous.</summary>
    public static double WaitingAt(IReadOnlyList<SurvivalStep> steps, double time) =>
        steps.LastOrDefault(s => s.Time <= time)?.Waiting ?? 1.0;

    /// <summary>The log(−log) band: S^exp(±z·se(log(−log S))), with se = √greenwood ÷ |log S|.</summary>
    private static (double Lower, double Upper) Band(double waiting, double greenwood, double z)
    {
        if (waiting <= 0 || waiting >= 1 || double.IsInfinity(greenwood))
        {
            return (waiting, waiting);
        }

        var se = Math.Sqrt(greenwood) / Math.Abs(Math.Log(waiting));
        return (Math.Pow(waiting, Math.Exp(z * se)), Math.Pow(waiting, Math.Exp(-z * se)));
    }
}
