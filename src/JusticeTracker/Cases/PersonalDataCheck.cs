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

    /// <summary>Returns why the text is refused, or null if it may be stored.</summary>
    public string? Problem(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

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

    [GeneratedRegex(@"\p{L}+", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
