using System.Globalization;
using System.Text;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>A word or a number of a note, where it is, and how it is written.</summary>
internal readonly record struct Token(int Start, int Length, string Text, string Key, bool IsNumber, bool Capitalised, bool AllCaps, bool SentenceStart, char Before)
{
    public int End => Start + Length;

    public bool IsWord => !IsNumber;
}

/// <summary>
/// A note as the check reads it: folded so that disguises (look-alike letters, full-width forms,
/// invisible characters, odd spaces) read as what they show, and cut into tokens. The text the
/// person typed is what gets stored; this is only what gets judged.
/// </summary>
internal sealed class NoteText
{
    private NoteText(string text, string? country)
    {
        Text = text;
        Country = country;
        Tokens = Tokenise(text);
        foreach (var c in text)
        {
            Digits += char.IsAsciiDigit(c) ? 1 : 0;
        }
    }

    public string Text { get; }

    public string? Country { get; }

    public IReadOnlyList<Token> Tokens { get; }

    /// <summary>How many digits the note has: most detectors need some, so most notes skip them.</summary>
    public int Digits { get; private set; }

    /// <summary>Whether the note contains a word (case-insensitive), for cheap checks before a pattern runs.</summary>
    public bool Has(string value) => Text.Contains(value, StringComparison.OrdinalIgnoreCase);

    public static NoteText Of(string typed, string? country) => new(Normalise(typed), country is { Length: 2 } ? country.ToUpperInvariant() : null);

    /// <summary>
    /// NFKC first (full-width letters and digits, ligatures, "№"), then every decimal digit of any
    /// script as an ASCII digit, Cyrillic and Greek look-alikes as Latin letters, dashes and
    /// quotes as ASCII, invisible characters removed and every run of spaces as one space.
    /// </summary>
    public static string Normalise(string typed)
    {
        var text = IsPlain(typed) ? typed : typed.Normalize(NormalizationForm.FormKC);
        var folded = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (c is > ' ' and <= '~')
            {
                if (space)
                {
                    folded.Append(' ');
                    space = false;
                }

                folded.Append(c);
                continue;
            }

            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.Format || c == '\u034F')
            {
                continue;
            }

            if (char.IsWhiteSpace(c) || category is UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                space = folded.Length > 0;
                continue;
            }

            if (space)
            {
                folded.Append(' ');
                space = false;
            }

            folded.Append(Fold(c, category));
        }

        return folded.ToString();
    }

    /// <summary>Printable ASCII only: nothing for NFKC to change, and no call into the globalisation library.</summary>
    private static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static char Fold(char c, UnicodeCategory category)
    {
        if (c < 128)
        {
            return c;
        }

        if (category == UnicodeCategory.DecimalDigitNumber)
        {
            return (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c));
        }

        if (category == UnicodeCategory.DashPunctuation || c == '\u2212')
        {
            return '-';
        }

        return LookAlikes.TryGetValue(c, out var latin) ? latin : c;
    }

    // Letters of other scripts that read as Latin ones (Unicode's confusables for Cyrillic and
    // Greek), and punctuation that reads as ASCII: each character of the first string reads as the
    // character at the same place in the second.
    private const string LookAlikeLetters = "авеёһіїјкмнорсѕтухԁԛԝӏАВЕЁНІЇЈКМОРСЅТУХԀԚԜӀαβεικνορτυχγΑΒΕΖΗΙΚΜΝΟΡΤΥΧ\u2018\u2019\u02BC\u2032\u201C\u201D\u2033\u3002\uFF61\u2024\u00B7";
    private const string LatinLetters = "abeehiijkmhopcstyxdqwlABEEHIIJKMOPCSTYXDQWIabeikvoptuxyABEZHIKMNOPTYX''''\"\"\"....";

    private static readonly Dictionary<char, char> LookAlikes = LookAlikeLetters.Zip(LatinLetters).ToDictionary(p => p.First, p => p.Second);

    /// <summary>Lower case without diacritics, the form every word list is kept in.</summary>
    public static string Key(string word)
    {
        var plain = true;
        foreach (var c in word)
        {
            if (c >= 128 || char.IsAsciiLetterUpper(c))
            {
                plain = false;
                break;
            }
        }

        if (plain)
        {
            return word;
        }

        Span<char> key = word.Length <= 64 ? stackalloc char[word.Length * 2] : new char[word.Length * 2];
        var n = 0;
        foreach (var c in word)
        {
            var lower = char.ToLowerInvariant(c);
            if (lower < Folded.Length)
            {
                foreach (var f in Folded[lower])
                {
                    key[n++] = f;
                }
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(lower) != UnicodeCategory.NonSpacingMark)
            {
                key[n++] = lower;
            }
        }

        return new string(key[..n]);
    }

    /// <summary>
    /// The letters of Latin-1 and Latin Extended-A and -B without their diacritics ("é" is "e", "œ" is
    /// "oe"), worked out once from Unicode's decompositions: a table, so that no word of a note needs
    /// a call into the globalisation library.
    /// </summary>
    private static readonly string[] Folded = BuildFolded();

    private static string[] BuildFolded()
    {
        var table = new string[0x0250];
        for (var c = 0; c < table.Length; c++)
        {
            var decomposed = ((char)c).ToString().Normalize(NormalizationForm.FormD);
            var letters = new StringBuilder();
            foreach (var d in decomposed)
            {
                if (CharUnicodeInfo.GetUnicodeCategory(d) != UnicodeCategory.NonSpacingMark)
                {
                    letters.Append(d);
                }
            }

            table[c] = (char)c switch
            {
                'ø' => "o",
                'æ' => "ae",
                'œ' => "oe",
                'ß' => "ss",
                'đ' => "d",
                'ł' => "l",
                'ı' => "i",
                'ɔ' => "o",
                'ɛ' => "e",
                _ => letters.Length > 0 ? letters.ToString() : ((char)c).ToString(),
            };
        }

        return table;
    }

    /// <summary>Words (letters, with apostrophes and hyphens inside) and runs of digits.</summary>
    private static Token[] Tokenise(string text)
    {
        var tokens = new List<Token>(text.Length / 5);
        var i = 0;
        var sentenceStart = true;
        var before = ' ';
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetter(c) || char.IsDigit(c))
            {
                var start = i;
                var number = char.IsDigit(c);
                i++;
                while (i < text.Length)
                {
                    var d = text[i];
                    if (number ? char.IsDigit(d) : char.IsLetter(d) || CharUnicodeInfo.GetUnicodeCategory(d) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                    {
                        i++;
                    }
                    else if (!number && (d == '\'' || d == '-') && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                    {
                        i += 2;
                    }
                    else
                    {
                        break;
                    }
                }

                var word = text[start..i];
                var upper = !number && char.IsUpper(word[0]);
                var allCaps = upper && word.Length > 1 && !word.AsSpan().ContainsAnyInRange('a', 'z') && !HasLower(word);
                tokens.Add(new Token(start, i - start, word, number ? word : Key(word), number, upper, allCaps, sentenceStart, before));
                sentenceStart = false;
                before = ' ';
                continue;
            }

            if (c is '.' or '!' or '?' or ':' or ';' or '•' or '\n')
            {
                sentenceStart = true;
            }

            if (c != ' ')
            {
                before = c;
            }

            i++;
        }

        return [.. tokens];
    }

    private static bool HasLower(string word)
    {
        foreach (var c in word)
        {
            if (char.IsLower(c))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The index of the first token that starts at or after <paramref name="position"/> (the count if none).</summary>
    public int TokenAt(int position)
    {
        int low = 0, high = Tokens.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Tokens[middle].Start < position)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Whether one of the <paramref name="count"/> words before <paramref name="position"/> is in <paramref name="words"/>.</summary>
    public bool WordBefore(int position, int count, HashSet<string> words)
    {
        for (var i = TokenAt(position) - 1; i >= 0 && count > 0; i--, count--)
        {
            if (words.Contains(Tokens[i].Key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The characters between two tokens.</summary>
    public string Between(Token first, Token second) => (second.Start - first.End) switch
    {
        <= 0 => string.Empty,

        // Most words are one space apart: no new string for them.
        1 when Text[first.End] == ' ' => " ",
        _ => Text[first.End..second.Start],
    };
}
