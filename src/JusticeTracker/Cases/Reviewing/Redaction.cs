using System.Security.Cryptography;
using System.Text;
using JusticeTracker.FollowUps;

namespace JusticeTracker.Cases.Reviewing;

/// <summary>
/// The free texts of one command, checked together. A certain finding refuses the command on the
/// text's field; a possible one lets it through and becomes a <see cref="NoteHeldForReview"/>
/// beside the event that stores the text. Every command that stores free text on a case checks it
/// here, so a new text only has to name its field.
/// </summary>
public sealed class FreeTexts(PersonalDataCheck check, string country)
{
    private readonly List<(NoteField Field, PersonalDataKind Kind)> doubts = [];

    /// <summary>Checks one text; a refusal goes to <paramref name="problems"/> under the request's <paramref name="field"/>.</summary>
    public FreeTexts Check(string? text, NoteField held, Problems problems, string field)
    {
        var finding = check.Find(text, country);
        if (finding is { Certain: true })
        {
            problems.Add(finding.AsProblem(field));
        }
        else if (finding is not null)
        {
            doubts.Add((held, finding.Kind));
        }

        return this;
    }

    /// <summary>
    /// The texts to hold for review. They belong to the first event the decision appends, which takes
    /// the case's next position: the decisions append the event that stores the texts first.
    /// </summary>
    public IEnumerable<NoteHeldForReview> HeldFor(Case @case, Guid about, DateTimeOffset now)
    {
        var position = @case.NextPosition;
        return doubts.Select(d => new NoteHeldForReview(Redaction.ReviewId(@case.Id, position, d.Field), about, d.Field, position, d.Kind, now));
    }
}

/// <summary>What a redaction does to the event that holds the text, and to the case's copy of it.</summary>
public static class Redaction
{
    /// <summary>The same text is always the same review: its case, the position of its event, its field.</summary>
    public static Guid ReviewId(Guid caseId, long position, NoteField field) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{caseId:N}/review/{position}/{field}"))[..16]);

    /// <summary>Whether the event's data is the one a review names: the same entry, or the same follow-up.</summary>
    public static bool Holds(object data, Guid about) => data switch
    {
        CaseEntry entry => entry.Entry.EntryId == about,
        IFollowUpEvent followUp => followUp.FollowUpId == about,
        _ => false,
    };

    /// <summary>
    /// The event's data without the one text, everything else as it was: a correction reason
    /// redacted leaves the entry's note, and the other way round.
    /// </summary>
    public static object Without(object data, NoteField field) => (data, field) switch
    {
        (CaseEntry e, NoteField.Note) => e with { Entry = e.Entry with { Note = null } },
        (CaseEntry e, NoteField.CorrectionReason) => e with { Entry = e.Entry with { CorrectionReason = null } },

        // The snooze reason is not nullable in the event's contract: it is left empty.
        (FollowUpSnoozed s, NoteField.SnoozeReason) => s with { Reason = "" },
        (FollowUpResolved r, NoteField.ResolutionNote) => r with { Note = null },
        _ => throw new InvalidOperationException($"An event of type {data.GetType().Name} holds no {field}."),
    };
}
