using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

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
/// stored, marked for a legal expert's review. <paramref name="Message"/> is the English refusal text,
/// a key of the shared resources (or a template that carries <c>{0}</c>).
/// </summary>
public sealed record PersonalDataFinding(PersonalDataKind Kind, bool Certain, string Message);

/// <summary>
/// Refuses free text that looks like it carries personal data. It cannot prove a note is
/// anonymous; it catches the patterns that most often leak identity (contact details, id numbers,
/// exact dates, links) and words the deployment lists, and says which one it found so the person
/// can rephrase.
/// </summary>
public sealed partial class PersonalDataCheck(PersonalDataOptions options)
{
    /// <summary>The two refusals that carry a value; pages translate them with it.</summary>
    public const string TooLong = "Keep it short: at most {0} characters.";

    public const string BlockedWord = "It contains the word \"{0}\", which often comes with personal data. Rephrase without names, addresses or contact details.";

    private static readonly CompositeFormat TooLongFormat = CompositeFormat.Parse(TooLong);
    private static readonly CompositeFormat BlockedWordFormat = CompositeFormat.Parse(BlockedWord);

    private static readonly string[] DefaultBlockedWords =
    [
        "name", "named", "surname", "initials", "born", "birthday", "address", "street", "phone", "whatsapp",
        "facebook", "instagram", "tiktok", "passport", "nom", "prénom", "née", "adresse", "rue", "téléphone",
        "nombre", "apellido", "dirección", "calle", "teléfono", "pasaporte",
    ];

    private readonly HashSet<string> blockedWords = new(
        DefaultBlockedWords.Concat(options.BlockedWords).Select(w => w.Trim().ToLowerInvariant()).Where(w => w.Length > 0),
        StringComparer.OrdinalIgnoreCase);

    public int MaxLength => options.MaxNoteLength;

    /// <summary>Returns why the text is refused, or null if it may be stored (perhaps for review: see <see cref="Find"/>).</summary>
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

        var problem = Refusal(text);
        if (problem is not null)
        {
            return new(PersonalDataKind.BlockedWord, true, problem);
        }

        // A capitalised word inside a sentence that is no word the tracker knows may be a name.
        return PossibleName().Match(text) is { Success: true } && !KnownCapitalised.Contains(PossibleName().Match(text).Groups[1].Value)
            ? new(PersonalDataKind.Name, false, "It may contain a name. A legal expert will review it.")
            : null;
    }

    private static readonly HashSet<string> KnownCapitalised = new(StringComparer.Ordinal) { "I", "UN", "CRC", "NGO" };

    private string? Refusal(string text)
    {
        if (text.Length > options.MaxNoteLength)
        {
            return string.Format(CultureInfo.InvariantCulture, TooLongFormat, options.MaxNoteLength);
        }

        if (Email().IsMatch(text))
        {
            return "It looks like it contains an e-mail address. Remove it: the tracker must not hold personal data.";
        }

        if (Url().IsMatch(text))
        {
            return "It looks like it contains a web link. Remove it: links can lead to a child's identity.";
        }

        if (Phone().IsMatch(text))
        {
            return "It looks like it contains a phone number or an identity number. Remove it: the tracker must not hold personal data.";
        }

        if (IdNumber().IsMatch(text))
        {
            return "It looks like it contains an identity, passport or file number. Remove it: the tracker must not hold personal data.";
        }

        if (ExactDate().IsMatch(text))
        {
            return "It looks like it contains an exact date, which could be a date of birth. Use the entry's date field instead.";
        }

        var word = Words().Matches(text).Select(m => m.Value).FirstOrDefault(blockedWords.Contains);
        return word is null
            ? null
            : string.Format(CultureInfo.InvariantCulture, BlockedWordFormat, word);
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"(https?://|www\.)\S+|\b[\w-]+\.(com|org|net|info|ke|ph|fr|es|io|me)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    // Seven or more digits, allowing the separators people type in phone numbers.
    [GeneratedRegex(@"(?<![\p{L}\d])(\+?\d[\s().-]?){7,}", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    // Letters and digits mixed in one token of six or more, as in passport or national id numbers.
    [GeneratedRegex(@"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{6,}\b|\b\d{5,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ExactDate();

    [GeneratedRegex(@"[\p{Ll},;]\s+(\p{Lu}\p{Ll}{3,})\b", RegexOptions.CultureInvariant)]
    private static partial Regex PossibleName();

    [GeneratedRegex(@"\p{L}+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
