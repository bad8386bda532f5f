namespace JusticeTracker.Cases;

/// <summary>
/// What a decision function returns: the events to append, or the problems that refuse the
/// command, keyed by the request field they concern so a form can show each beside its field.
/// </summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, IReadOnlyDictionary<string, string[]> problems)
    {
        Events = events;
        Problems = problems;
    }

    public IReadOnlyList<object> Events { get; }

    public IReadOnlyDictionary<string, string[]> Problems { get; }

    public bool IsRefused => Problems.Count > 0;

    public static Decision Accept(params object[] events) => new(events, new Dictionary<string, string[]>());

    public static Decision Refuse(Problems problems) => new([], problems.ToDictionary());

    public static Decision Refuse(string field, string problem) => Refuse(new Problems().Add(field, problem));
}

/// <summary>Collects validation problems per field.</summary>
public sealed class Problems
{
    private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

    public bool Any => byField.Count > 0;

    /// <summary>Adds a problem; a null problem is ignored, so checks that return null for "fine" chain neatly.</summary>
    public Problems Add(string field, string? problem)
    {
        if (problem is null)
        {
            return this;
        }

        if (!byField.TryGetValue(field, out var list))
        {
            byField[field] = list = [];
        }

        list.Add(problem);
        return this;
    }

    public Problems AddIf(bool condition, string field, string problem) => condition ? Add(field, problem) : this;

    public Dictionary<string, string[]> ToDictionary() => byField.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
