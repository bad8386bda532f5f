using System.Text.RegularExpressions;
using JusticeTracker.Cases.PersonalData;

namespace JusticeTracker.Cases;

/// <summary>Deployment settings for the personal-data check (section <c>PersonalData</c>).</summary>
public sealed class PersonalDataOptions
{
    /// <summary>Words that must not appear in free text, e.g. words that introduce a name or an address.</summary>
    public List<string> BlockedWords { get; set; } = [];

    public int MaxNoteLength { get; set; } = 500;
}

/// <summary>What kind of personal data a note seems to carry. Each has its own refusal text in every language.</summary>
public enum PersonalDataKind
{
    TooLong,
    Email,
    Link,
    Handle,
    Phone,
    IdNumber,
    IpAddress,
    Coordinates,
    DateOfBirth,
    ExactDate,
    Name,
    Address,
    School,
    FileNumber,
    VehiclePlate,
    BlockedWord,
}

/// <summary>
/// What the check found in a note. <paramref name="Certain"/> findings are refused; the others are
/// stored, marked for a legal expert's review. <paramref name="Key"/> is the refusal's text key of the
/// shared resources, and <paramref name="Arguments"/> the values it names.
/// </summary>
public sealed record PersonalDataFinding(PersonalDataKind Kind, bool Certain, string Key, params IReadOnlyList<object> Arguments)
{
    /// <summary>The refusal in English, for logs and tests.</summary>
    public string Message => AsProblem("").English;

    public Problem AsProblem(string field) => new(field, Key, Arguments);
}

/// <summary>
/// Refuses free text that looks like it carries personal data, and marks for review text that may.
/// It reads the note as it would be read once disguises are undone (look-alike letters,
/// full-width forms, invisible characters), then looks for contact details, numbers that lead to a
/// person, dates of birth, addresses and schools, and names; each finding says which kind it is, so
/// the person can rephrase. It cannot prove a note anonymous: docs/data-protection.md §3.1 lists
/// what it catches, with the corpus figures, and what still passes. The message never repeats what
/// was typed (only a deployment's own blocked word).
/// </summary>
public sealed class PersonalDataCheck
{
    /// <summary>The two refusals that carry a value.</summary>
    public const string TooLong = "Keep it short: at most {0} characters.";

    public const string BlockedWord = "It contains the word \"{0}\", which often comes with personal data. Rephrase without names, addresses or contact details.";

    /// <summary>The English text of each kind's refusal (a key of the shared resources).</summary>
    private static readonly Dictionary<PersonalDataKind, string> Refusals = new()
    {
        [PersonalDataKind.Email] = "It looks like it contains an e-mail address. Remove it: the tracker must not hold personal data.",
        [PersonalDataKind.Link] = "It looks like it contains a web link. Remove it: links can lead to a child's identity.",
        [PersonalDataKind.Handle] = "It looks like it contains a social-media account or a hashtag. Remove it: accounts and hashtags lead to people.",
        [PersonalDataKind.Phone] = "It looks like it contains a phone number, perhaps written in words. Remove it: the tracker must not hold personal data.",
        [PersonalDataKind.IdNumber] = "It looks like it contains an identity or passport number. Remove it: the tracker must not hold personal data.",
        [PersonalDataKind.IpAddress] = "It looks like it contains an IP address. Remove it: an address on the internet can lead to a person.",
        [PersonalDataKind.Coordinates] = "It looks like it contains map coordinates or a location code. Remove it: they point at a place.",
        [PersonalDataKind.DateOfBirth] = "It looks like it contains a date of birth. Remove it: the case's age band is enough.",
        [PersonalDataKind.ExactDate] = "It looks like it contains an exact date, which could be a date of birth. Use the entry's date field instead.",
        [PersonalDataKind.Name] = "It looks like it contains a person's name or initials. Remove it: refer to people by their role, such as the child, the mother or the accused.",
        [PersonalDataKind.Address] = "It looks like it contains an address, a street, a village or a neighbourhood. Remove it: name no place smaller than a town.",
        [PersonalDataKind.School] = "It looks like it names a school or a class. Remove it: say that the child is at school without naming it.",
        [PersonalDataKind.FileNumber] = "It looks like it contains a court or police file number. Remove it: a file number leads to the child's file.",
        [PersonalDataKind.VehiclePlate] = "It looks like it contains a vehicle's registration plate. Remove it: the tracker must not hold personal data.",
    };

    /// <summary>What a legal expert's review is told, for findings that are not sure enough to refuse.</summary>
    public const string PossibleName = "It may contain a name. A legal expert will review it.";

    public const string PossiblePersonalData = "It may contain personal data. A legal expert will review it.";

    /// <summary>A check that ran out of time refuses: it cannot vouch for the note.</summary>
    public const string NotChecked = "It could not be checked. Shorten it or rephrase it.";

    /// <summary>
    /// Every pattern is linear, so this is only the second line of defence against a hostile note; it
    /// is generous because a pattern's first run also pays for compiling it, which on a busy machine
    /// took longer than a tenth of a second.
    /// </summary>
    internal const int PatternTimeoutMilliseconds = 1000;

    // Cheapest first; names last, since they need every word looked up.
    private static readonly Func<NoteText, Hit?>[] Detectors =
    [
        Contacts.Email, Contacts.Link, Contacts.Handle, Contacts.IpAddress, Contacts.Coordinates,
        Numbers.IdNumber, Numbers.FileNumber, Dates.Find, Places.Address, Places.School, Numbers.VehiclePlate, Numbers.Phone,
        Names.Initials, Names.Find,
    ];

    // Runs every detector once on a note that reaches all of them, so the first real note pays for
    // no compilation: at start-up, when the check is first made.
    private static readonly Lazy<bool> Warmed = new(() =>
    {
        var note = NoteText.Of("warm-up: Case No. 12/2024, call 0712 345 678 or a at b dot com, born 3 May 2011, plot 4 rue X, Grade 5B at X School, Mr. X, A.B., KBX 123A, ID 12345678, 1.2.3.4, -1.2345, 36.1234.", "KE");
        foreach (var detector in Detectors)
        {
            detector(note);
        }

        return true;
    });

    private readonly PersonalDataOptions options;
    private readonly HashSet<string> blockedWords;

    public PersonalDataCheck(PersonalDataOptions options)
    {
        this.options = options;
        blockedWords = new(options.BlockedWords.Select(w => NoteText.Key(w.Trim())).Where(w => w.Length > 0), StringComparer.Ordinal);
        _ = Warmed.Value;
    }

    public int MaxLength => options.MaxNoteLength;

    /// <summary>Returns why the text is refused, in English, or null if it may be stored (perhaps for review: see <see cref="Find"/>).</summary>
    public string? Problem(string? text, string? country = null) => Find(text, country) is { Certain: true } finding ? finding.Message : null;

    /// <summary>
    /// What the text seems to carry, or null if nothing. <paramref name="country"/> (ISO 3166 alpha-2) is the case's
    /// country, the region in which phone numbers are read.
    /// </summary>
    public PersonalDataFinding? Find(string? text, string? country = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > options.MaxNoteLength)
        {
            return new(PersonalDataKind.TooLong, true, TooLong, options.MaxNoteLength);
        }

        var note = NoteText.Of(text, country);
        if (blockedWords.Count > 0 && note.Tokens.FirstOrDefault(t => blockedWords.Contains(t.Key)) is { Length: > 0 } blocked)
        {
            return new(PersonalDataKind.BlockedWord, true, BlockedWord, blocked.Key);
        }

        Hit? possible = null;
        foreach (var detector in Detectors)
        {
            Hit? hit;
            try
            {
                hit = detector(note);
            }
            catch (RegexMatchTimeoutException)
            {
                return new(PersonalDataKind.TooLong, true, NotChecked);
            }

            if (hit is { Certain: true } certain)
            {
                return new(certain.Kind, true, Refusals[certain.Kind]);
            }

            possible ??= hit;
        }

        return possible is { } doubt
            ? new(doubt.Kind, false, doubt.Kind == PersonalDataKind.Name ? PossibleName : PossiblePersonalData)
            : null;
    }
}
