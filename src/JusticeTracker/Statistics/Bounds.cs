namespace JusticeTracker.Statistics;

/// <summary>A way a reader could single out 1 to k-1 cases, found by <see cref="Bounds"/>.</summary>
internal enum Exposure
{
    /// <summary>A withheld count pinned inside 1 to k-1: a reader learns that a few children, and not none, are in that group.</summary>
    Count,

    /// <summary>A count within another (a narrower measure) whose difference is pinned inside 1 to k-1.</summary>
    Difference,

    /// <summary>A total's parts that are not known exactly, pinned to 1 to k-1 cases together.</summary>
    Parts,
}

/// <summary>One exposure: the variable (measure × figures + figure), and the wider one or the total it was found with.</summary>
internal readonly record struct Violation(Exposure Kind, int Variable, int Other);

/// <summary>
/// The tightest bounds a reader can work out for every count of a lattice, from what they know
/// (the shown counts, and anything else the auditor adds) and every relation between counts:
/// parts that add up to a total along each dimension or split of a measure, and counts whose cases
/// are within another's. Interval propagation to a fixed point: sound (every bound holds), and
/// exact on the sums and differences that single out cases in practice. Disclosure control runs it
/// on its own decisions and repairs what it finds; the auditor runs it on what reports publish.
/// </summary>
internal sealed class Bounds
{
    public const long Infinity = 1L << 40;

    private readonly Lattice lattice;
    private readonly int k;
    private readonly int figures;
    private readonly bool[] known;

    public Bounds(Lattice lattice, int k)
    {
        this.lattice = lattice;
        this.k = k;
        figures = lattice.FigureCount;
        var size = lattice.Measures.Count * figures;
        Lo = new long[size];
        Hi = new long[size];
        known = new bool[size];
        Reset();
    }

    /// <summary>
    /// Back to what a reader knows before anything is published. Disclosure control checks its
    /// decisions in rounds and starts each from here: the arrays are tens of megabytes, and
    /// allocating them every round kept that much garbage per round on the large-object heap.
    /// </summary>
    public void Reset()
    {
        Array.Clear(Lo);
        Array.Fill(Hi, Infinity);
        Array.Clear(known);

        // Cases in countries outside the network's list, or opened before the listed years, are
        // never published; but where there are none a reader may well assume so. Counting them as
        // known in that case keeps the bounds on the side of the reader.
        for (var m = 0; m < lattice.Measures.Count; m++)
        {
            for (var f = 0; f < figures; f++)
            {
                if (lattice.IsHidden(f) && lattice.Value(m, f) == 0)
                {
                    Know((m * figures) + f, 0);
                }
            }
        }
    }

    public long[] Lo { get; }

    public long[] Hi { get; }

    public int Figures => figures;

    public int K => k;

    public bool IsKnown(int v) => known[v];

    /// <summary>The reader knows this count exactly: it is published.</summary>
    public void Know(int v, long value)
    {
        known[v] = true;
        Lo[v] = Hi[v] = value;
    }

    /// <summary>The reader knows this count lies within these bounds (a mark, a share, an upper bound from all forms).</summary>
    public void Narrow(int v, long low, long high)
    {
        Lo[v] = Math.Max(Lo[v], low);
        Hi[v] = Math.Min(Hi[v], high);
    }

    /// <summary>Tightens every bound from every relation until nothing moves; returns how many relations were evaluated.</summary>
    public long Propagate()
    {
        var measures = lattice.Measures;

        // A relation can only tighten a bound after one of its variables moved. Variables are
        // tracked by measure: a measure none of whose figures moved in the last sweep has its
        // splits at their fixed point already, and so does a pair or split of measures none of
        // which moved. At first only measures the reader knows something of can move.
        var moved = new bool[measures.Count];
        for (var m = 0; m < measures.Count; m++)
        {
            var offset = m * figures;
            for (var f = 0; f < figures && !moved[m]; f++)
            {
                moved[m] = Lo[offset + f] > 0 || Hi[offset + f] < Infinity;
            }
        }

        long evaluated = 0;
        for (var sweep = 0; sweep < 1000 && moved.Any(m => m); sweep++)
        {
            var now = new bool[measures.Count];
            for (var m = 0; m < measures.Count; m++)
            {
                var offset = m * figures;
                if (moved[m])
                {
                    for (var f = 0; f < figures; f++)
                    {
                        foreach (var parts in lattice.SplitsOf(f))
                        {
                            now[m] |= Sum(offset + f, parts, offset);
                            evaluated++;
                        }
                    }
                }

                foreach (var wider in measures.Supersets[m])
                {
                    if (!moved[m] && !moved[wider])
                    {
                        continue;
                    }

                    var outerOffset = wider * figures;
                    for (var f = 0; f < figures; f++)
                    {
                        now[m] |= Tighten(offset + f, 0, Hi[outerOffset + f]);
                        now[wider] |= Tighten(outerOffset + f, Lo[offset + f], Infinity);
                        evaluated++;
                    }
                }
            }

            foreach (var (parent, parts) in measures.Partitions)
            {
                if (!moved[parent] && !parts.Any(p => moved[p]))
                {
                    continue;
                }

                var members = new int[parts.Length];
                for (var f = 0; f < figures; f++)
                {
                    for (var i = 0; i < parts.Length; i++)
                    {
                        members[i] = (parts[i] * figures) + f;
                    }

                    if (Sum((parent * figures) + f, members, 0))
                    {
                        now[parent] = true;
                        Array.ForEach(parts, p => now[p] = true);
                    }

                    evaluated++;
                }
            }

            moved = now;
        }

        return evaluated;
    }

    /// <summary>Every way the bounds single out 1 to k-1 cases, judged against the true figures.</summary>
    public IEnumerable<Violation> Violations()
    {
        var measures = lattice.Measures;
        for (var m = 0; m < measures.Count; m++)
        {
            if (!lattice.HasValues(m))
            {
                continue;
            }

            var offset = m * figures;
            for (var f = 0; f < figures; f++)
            {
                var v = offset + f;
                var truth = lattice.Value(m, f);
                if (!known[v] && Small(truth) && Lo[v] >= 1 && Hi[v] < k)
                {
                    yield return new Violation(Exposure.Count, v, -1);
                }

                foreach (var wider in measures.Supersets[m])
                {
                    var w = (wider * figures) + f;
                    // A narrower count known to be zero leaves the wider one's own check to judge.
                    if (Hi[v] > 0 && Small(lattice.Value(wider, f) - truth) && Lo[w] - Hi[v] >= 1 && Hi[w] - Lo[v] < k)
                    {
                        yield return new Violation(Exposure.Difference, v, w);
                    }
                }

                if (Lo[v] != Hi[v] || Lo[v] < k)
                {
                    continue;
                }

                foreach (var parts in lattice.SplitsOf(f))
                {
                    long hiddenTruth = 0, knownSum = 0;
                    var open = 0;
                    foreach (var p in parts)
                    {
                        var u = offset + p;
                        if (Lo[u] == Hi[u])
                        {
                            knownSum += Lo[u];
                        }
                        else
                        {
                            open++;
                            hiddenTruth += lattice.Value(m, p);
                        }
                    }

                    if (open > 1 && hiddenTruth is > 0 && hiddenTruth < k && Lo[v] - knownSum >= 1)
                    {
                        yield return new Violation(Exposure.Parts, v, Array.IndexOf([.. lattice.SplitsOf(f)], parts));
                    }
                }
            }
        }
    }

    private bool Small(long count) => count > 0 && count < k;

    private bool Sum(int total, int[] parts, int offset)
    {
        // Bounds are at most Infinity (2^40) each, so these sums cannot overflow, and a sum of
        // the others' upper bounds that reaches Infinity leaves a part's lower bound at zero.
        long sumLo = 0, sumHi = 0;
        foreach (var p in parts)
        {
            sumLo += Lo[offset + p];
            sumHi += Hi[offset + p];
        }

        var changed = Tighten(total, sumLo, Math.Min(sumHi, Infinity));
        foreach (var p in parts)
        {
            var v = offset + p;
            var others = sumHi - Hi[v];
            changed |= Tighten(v, others >= Infinity ? 0 : Lo[total] - others, Hi[total] >= Infinity ? Infinity : Hi[total] - (sumLo - Lo[v]));
        }

        return changed;
    }

    private bool Tighten(int v, long low, long high)
    {
        var changed = false;
        if (low > Lo[v])
        {
            Lo[v] = low;
            changed = true;
        }

        if (high < Hi[v])
        {
            Hi[v] = high;
            changed = true;
        }

        return changed;
    }
}
