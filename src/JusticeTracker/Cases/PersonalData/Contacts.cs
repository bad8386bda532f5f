using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>What a detector found: its kind, and whether it is sure enough to refuse.</summary>
internal readonly record struct Hit(PersonalDataKind Kind, bool Certain);

/// <summary>
/// Ways to reach or find a person: e-mail addresses (also written "at ... dot ..."), links on any
/// real top-level domain, handles and hashtags, IP addresses and map coordinates.
/// </summary>
internal static partial class Contacts
{
    // Every pattern here is linear (no nested quantifiers); the timeout is the second line of defence.
    private const int Timeout = PersonalDataCheck.PatternTimeoutMilliseconds;

    public static Hit? Email(NoteText note)
    {
        var text = note.Text;
        if (text.Contains('@', StringComparison.Ordinal))
        {
            foreach (Match m in PlainEmail().Matches(text))
            {
                if (IsDomain(m.Groups["domain"].Value.Replace(" ", "", StringComparison.Ordinal)))
                {
                    return new(PersonalDataKind.Email, true);
                }
            }
        }

        // "amina dot yusuf at yahoo dot com", "rosa(at)hotmail.com", "lupita arroba gmail punto com".
        var tokens = note.Tokens;
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Key is not ("at" or "arroba" or "arobase") || note.Between(tokens[i - 1], tokens[i]) is not (" " or "(" or "[" or "{" or "<" or " (" or " [" or " {" or " <"))
            {
                continue;
            }

            var m = SpelledDomain().Match(text, tokens[i].End);
            if (!m.Success)
            {
                continue;
            }

            // "hosted at live-cams.xyz/room/91" is a link, which the next detector names.
            var domain = m.Groups["domain"].Value;
            var last = domain.LastIndexOfAny([' ', '.', ')', ']', '}']);
            var end = m.Index + m.Length;
            if (last > 0 && (end >= text.Length || text[end] != '/') && WordLists.TopLevelDomains.Contains(domain[(last + 1)..].ToLowerInvariant()))
            {
                return new(PersonalDataKind.Email, true);
            }
        }

        return null;
    }

    public static Hit? Link(NoteText note)
    {
        var text = note.Text;
        if (!HasDotInsideWord(text))
        {
            return null;
        }

        if (Scheme().IsMatch(text))
        {
            return new(PersonalDataKind.Link, true);
        }

        foreach (Match m in Domain().Matches(text))
        {
            // A capitalised last label is a missing space between two sentences ("court.Next"), not a domain.
            var tld = m.Groups["tld"].Value;
            if (char.IsLower(tld[0]) && WordLists.TopLevelDomains.Contains(tld))
            {
                return new(PersonalDataKind.Link, true);
            }
        }

        return null;
    }

    public static Hit? Handle(NoteText note) =>
        note.Text.AsSpan().IndexOfAny('@', '#') >= 0 && HandleOrHashtag().IsMatch(note.Text) ? new(PersonalDataKind.Handle, true) : null;

    public static Hit? IpAddress(NoteText note)
    {
        var text = note.Text;
        if (note.Digits < 4)
        {
            return null;
        }

        if (IPv4().IsMatch(text))
        {
            return new(PersonalDataKind.IpAddress, true);
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            foreach (Match m in IPv6().Matches(text))
            {
                if (m.Value.Count(c => c == ':') >= 2 && IPAddress.TryParse(m.Value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    return new(PersonalDataKind.IpAddress, true);
                }
            }
        }

        return null;
    }

    public static Hit? Coordinates(NoteText note) =>
        (note.Digits >= 4 || note.Text.Contains("///", StringComparison.Ordinal)) && (DecimalPair().IsMatch(note.Text) || DegreesMinutes().IsMatch(note.Text) || Latitude().IsMatch(note.Text) || PlusCode().IsMatch(note.Text) || ThreeWords().IsMatch(note.Text))
            ? new(PersonalDataKind.Coordinates, true)
            : null;

    private static bool HasDotInsideWord(string text)
    {
        for (var i = text.IndexOf('.', StringComparison.Ordinal); i > 0 && i < text.Length - 1; i = text.IndexOf('.', i + 1))
        {
            if (char.IsLetterOrDigit(text[i - 1]) && char.IsLetter(text[i + 1]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDomain(string domain)
    {
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 1 && WordLists.TopLevelDomains.Contains(domain[(dot + 1)..].ToLowerInvariant());
    }

    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+ ?@ ?(?<domain>[\p{L}\p{N}-]+(?: ?\. ?[\p{L}\p{N}-]+)+)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PlainEmail();

    // What follows "at" in an address written out: a domain whose dots may be words. A separator
    // cannot be part of a label, so the repetition is unambiguous.
    [GeneratedRegex(@"\G[)\]}>]? ?(?<domain>[\p{L}\p{N}-]+(?:(?:\.| ?\(dot\) ?| ?\[dot\] ?| ?\{dot\} ?| (?:dot|punto|point|ponto) )[\p{L}\p{N}-]+){1,4})", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex SpelledDomain();

    [GeneratedRegex(@"\b(?:https?|ftp)://|\bwww\.[\p{L}\p{N}-]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex Scheme();

    [GeneratedRegex(@"(?<![\p{L}\p{N}@.-])(?:[\p{L}\p{N}][\p{L}\p{N}-]{0,62}\.)+(?<tld>\p{L}{2,24})(?![\p{L}\p{N}-]|\.\p{L})", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex Domain();

    [GeneratedRegex(@"(?<![\p{L}\p{N}@._&#/])(?:@[\p{L}_][\p{L}\p{N}_.]{1,}|#\p{L}[\p{L}\p{N}_]{2,})", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex HandleOrHashtag();

    [GeneratedRegex(@"(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\d.]\d)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IPv4();

    [GeneratedRegex(@"(?<![\p{L}\p{N}:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\p{L}\p{N}:])", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IPv6();

    // "-4.0435, 39.6682", "14.5995° N, 120.9842° E": two decimals with three or more places.
    [GeneratedRegex(@"(?<![\d.])[-+]?\d{1,2}\.\d{3,}\s?°?\s?[NSns]?\s?[,;/ ]\s?[-+]?\d{1,3}\.\d{3,}", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DecimalPair();

    [GeneratedRegex(@"\d{1,3}\s?°\s?\d{1,2}\s?['′]\s?(?:\d{1,2}(?:\.\d+)?\s?(?:""|″|'')\s?)?[NSEWO]\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex DegreesMinutes();

    [GeneratedRegex(@"\b(?:lat|latitude|latitud|lng|lon|long|longitude|longitud)\b\.?\s?[:=]?\s?[-+]?\d{1,3}\.\d{2,}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex Latitude();

    // Open Location Codes ("6GCRPR6C+24") and what3words addresses ("///filled.count.soap").
    [GeneratedRegex(@"\b[23456789CFGHJMPQRVWX]{4,8}\+[23456789CFGHJMPQRVWX]{2,3}\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PlusCode();

    [GeneratedRegex(@"///\p{L}+\.\p{L}+\.\p{L}+", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex ThreeWords();
}
