using System.Globalization;

namespace JusticeTracker.Cases;

/// <summary>
/// Why a command is refused: the request field it concerns, a text key of the shared resources
/// (its English wording, as every text of the app is keyed) and the values the text names. The
/// API and the pages both say it in the reader's language; nothing matches the wording again.
/// </summary>
public sealed record Problem(string Field, string Key, IReadOnlyList<object> Arguments)
{
    /// <summary>The text in English, for logs and tests; readers get it from the resources.</summary>
    public string English => Arguments.Count == 0 ? Key : string.Format(CultureInfo.InvariantCulture, Key, [.. Arguments]);
}

/// <summary>How a refusal is answered: a request to correct, a thing that is not there, or a state that forbids it.</summary>
public enum Refusal
{
    None,

    /// <summary>The request has problems the author can correct (400, or the form again).</summary>
    Invalid,

    /// <summary>The command names something the stream does not hold, such as a follow-up id (404, like a case that is not there).</summary>
    Missing,

    /// <summary>The stream's state forbids it and no change to the request helps (409).</summary>
    Conflict,
}

/// <summary>
/// What a decision function returns: the events to append, or the problems that refuse the
/// command, each naming the request field it concerns so a form can show it beside the field.
/// </summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, IReadOnlyList<Problem> problems, Refusal refusal)
    {
        Events = events;
        Problems = problems;
        Refusal = refusal;
    }

    public IReadOnlyList<object> Events { get; }

    public IReadOnlyList<Problem> Problems { get; }

    public Refusal Refusal { get; }

    public bool IsRefused => Refusal != Refusal.None;

    /// <summary>Accepts the command with these events; none means it is already so (a double submit).</summary>
    public static Decision Accept(params object[] events) => new(events, [], Refusal.None);

    public static Decision Refuse(Problems problems) => new([], problems.ToList(), problems.Any ? Refusal.Invalid : Refusal.None);

    public static Decision Refuse(string field, string key, params object[] arguments) => Refuse(new Problems().Add(field, key, arguments));

    public static Decision Missing(string field, string key) => new([], [new Problem(field, key, [])], Refusal.Missing);

    public static Decision Conflict(string field, string key) => new([], [new Problem(field, key, [])], Refusal.Conflict);
}

/// <summary>Collects validation problems, in the order they were found.</summary>
public sealed class Problems
{
    private readonly List<Problem> found = [];

    public bool Any => found.Count > 0;

    /// <summary>Adds a problem; a null key is ignored, so checks that return null for "fine" chain neatly.</summary>
    public Problems Add(string field, string? key, params object[] arguments)
    {
        if (key is not null)
        {
            found.Add(new Problem(field, key, arguments));
        }

        return this;
    }

    public Problems AddIf(bool condition, string field, string key, params object[] arguments) => condition ? Add(field, key, arguments) : this;

    public Problems Add(Problem? problem)
    {
        if (problem is not null)
        {
            found.Add(problem);
        }

        return this;
    }

    public IReadOnlyList<Problem> ToList() => [.. found];
}
