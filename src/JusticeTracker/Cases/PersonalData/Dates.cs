using System.Text.RegularExpressions;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>
/// Dates of birth, in digits or in words (en, fr, es, pt, and Filipino and Swahili words for
/// "born"), and exact dates in digits. Months and years alone ("hearing in March 2024"), and ages
/// ("aged 14"), are ordinary in a case note and pass.
/// </summary>
internal static partial class Dates
{
    private const int Timeout = PersonalDataCheck.PatternTimeoutMilliseconds;

    public static Hit? Find(NoteText note)
    {
        var tokens = note.Tokens;
        Hit? possible = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!IsBirthWord(tokens[i]))
            {
                continue;
            }

            // What follows the birth word in the same sentence, up to eight tokens.
            var hasDay = false;
            var hasMonth = false;
            var hasYear = false;
            for (var j = i + 1; j < tokens.Count && j <= i + 9; j++)
            {
                var t = tokens[j];
                if (t.SentenceStart && j > i + 1 && t.Before is '.' or '!' or '?' or ';')
                {
                    break;
                }

                hasMonth |= Months.Contains(t.Key);
                hasYear |= t.IsNumber && IsYear(t.Text) || t.Key is "mil" or "mille" or "thousand";
                hasDay |= t.IsNumber && t.Length <= 2 && int.Parse(t.Text, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 31 || DayWords.Contains(t.Key);
            }

            if (hasMonth && (hasDay || hasYear))
            {
                return new(PersonalDataKind.DateOfBirth, true);
            }

            if (hasYear)
            {
                possible ??= new(PersonalDataKind.DateOfBirth, false);
            }
        }

        foreach (Match m in note.Digits >= 3 ? NumericDate().Matches(note.Text) : Enumerable.Empty<Match>())
        {
            if (int.Parse(m.Groups["month"].Value, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 12
                || int.Parse(m.Groups["day"].Value, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 12)
            {
                return new(BirthWordBefore(note, m.Index) ? PersonalDataKind.DateOfBirth : PersonalDataKind.ExactDate, true);
            }
        }

        return possible;
    }

    private static bool IsBirthWord(Token token) =>
        BirthWords.Contains(token.Key) || token.Text is "né" or "Né" or "née" or "Née" or "nés" or "nées";

    private static bool BirthWordBefore(NoteText note, int position) =>
        note.Tokens.Where(t => t.End <= position && t.End >= position - 60).Any(IsBirthWord) || Dob().IsMatch(note.Text[Math.Max(0, position - 20)..position]);

    private static bool IsYear(string digits) => digits.Length == 4 && digits[0] is '1' or '2' && (digits.StartsWith("19", StringComparison.Ordinal) || digits.StartsWith("20", StringComparison.Ordinal));

    private static readonly HashSet<string> BirthWords = new(StringComparer.Ordinal)
    {
        "born", "birth", "birthday", "birthdate", "dob", "naissance", "anniversaire", "nacida", "nacido", "nacidos", "nacidas", "nacimiento", "nacio",
        "cumpleanos", "nascida", "nascido", "nascimento", "nasceu", "aniversario", "ipinanganak", "kaarawan", "kapanganakan", "alizaliwa", "kuzaliwa", "tarehe",
    };

    private static readonly HashSet<string> Months = new(
        new[]
        {
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "janv", "fevr", "juil",
            "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre", "noviembre", "diciembre",
            "janeiro", "fevereiro", "marco", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
            "pebrero", "marso", "hunyo", "hulyo", "setyembre", "oktubre", "nobyembre", "disyembre",
            "januari", "februari", "machi", "aprili", "mei", "juni", "julai", "agosti", "septemba", "oktoba", "novemba", "desemba",
        },
        StringComparer.Ordinal);

    /// <summary>Days of the month in words: cardinals and ordinals in en, fr, es and pt.</summary>
    private static readonly HashSet<string> DayWords = new(
        new[]
        {
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth",
            "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth", "thirtieth", "twenty-first", "twenty-second",
            "twenty-third", "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth", "twenty-ninth", "thirty-first",
            "premier", "1er", "primero", "primer", "primeiro",
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
            "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
            "un", "deux", "trois", "quatre", "cinq", "sept", "huit", "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
            "dix-sept", "dix-huit", "dix-neuf", "vingt", "trente",
            "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece", "catorce", "quince",
            "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidos", "veintitres", "veinticuatro", "veinticinco",
            "veintiseis", "veintisiete", "veintiocho", "veintinueve", "treinta",
            "um", "dois", "tres", "quatro", "cinco", "sete", "oito", "nove", "dez", "doze", "treze", "catorze", "dezesseis", "dezessete", "dezoito",
            "dezenove", "vinte", "trinta",
        },
        StringComparer.Ordinal);

    // Day, month and year in either order ("12/04/2011", "2011-04-12", "12.4.11"), not inside a longer run of numbers.
    [GeneratedRegex(@"(?<![\d./-])(?:(?<day>\d{1,2})[./-](?<month>\d{1,2})[./-](?:\d{4}|\d{2})|\d{4}[./-](?<month>\d{1,2})[./-](?<day>\d{1,2}))(?![\d]|[./-]\d)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"(?i:\bd\.? ?o\.? ?b\b)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex Dob();
}
