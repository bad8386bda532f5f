using System.Text.RegularExpressions;
using PhoneNumbers;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>
/// Numbers that lead to a person: phone numbers (in digits with any separators, or in words),
/// identity and passport numbers, court and police file numbers, vehicle plates. Amounts, years,
/// age bands and the numbers of statutes ("Ley 30364", "RA 9208") are not.
/// </summary>
internal static partial class Numbers
{
    private const int Timeout = PersonalDataCheck.PatternTimeoutMilliseconds;
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Digits read together: groups of digits with at most three separator characters between them.</summary>
    private readonly record struct Run(int Start, int End, string Digits, int Groups, bool Contiguous, bool Excused);

    public static Hit? FileNumber(NoteText note)
    {
        if (note.Digits < 2)
        {
            return null;
        }

        foreach (var token in note.Tokens)
        {
            if (FileCues.Contains(token.Key) && FileNumberAfter().Match(note.Text, token.End) is { Success: true } m && m.Groups["number"].Value.Count(char.IsDigit) >= 2)
            {
                return new(PersonalDataKind.FileNumber, true);
            }
        }

        foreach (Match m in NumberOfYear().Matches(note.Text))
        {
            if (!IsYear(m.Groups["first"].Value) && !AfterLawWord(note, m.Index))
            {
                return new(PersonalDataKind.FileNumber, true);
            }
        }

        return null;
    }

    public static Hit? IdNumber(NoteText note)
    {
        if (note.Digits < 3)
        {
            return null;
        }

        foreach (var token in note.Tokens)
        {
            if (IdCues.Contains(token.Key) && IdNumberAfter().Match(note.Text, token.End) is { Success: true } m && m.Groups["number"].Value.Count(char.IsDigit) >= 4)
            {
                return new(PersonalDataKind.IdNumber, true);
            }
        }

        return LettersAndDigits(note.Text) ? new(PersonalDataKind.IdNumber, true) : null;
    }

    /// <summary>A word of six or more capitals and digits, three of them digits: "AB1234567", "CM91023456ABCD".</summary>
    private static bool LettersAndDigits(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiLetterUpper(text[i]) && !char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            int digits = 0, letters = 0;
            while (i < text.Length && (char.IsAsciiLetterUpper(text[i]) || char.IsAsciiDigit(text[i])))
            {
                digits += char.IsAsciiDigit(text[i]) ? 1 : 0;
                letters += char.IsAsciiLetterUpper(text[i]) ? 1 : 0;
                i++;
            }

            var whole = (start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (i == text.Length || !char.IsLetterOrDigit(text[i]));
            if (whole && i - start >= 6 && digits >= 3 && letters >= 1)
            {
                return true;
            }

            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }
        }

        return false;
    }

    private static readonly HashSet<string> FileCues = new(StringComparer.Ordinal)
    {
        "case", "file", "cause", "petition", "complaint", "docket", "blotter", "ob", "cr", "crb", "cc", "expediente", "exp", "carpeta", "causa", "proceso",
        "processo", "autos", "nuc", "rg", "rp", "parquet", "dossier", "affaire", "proces-verbal", "pv", "plainte", "ref", "reference", "referencia",
    };

    private static readonly HashSet<string> IdCues = new(StringComparer.Ordinal)
    {
        "id", "passport", "passeport", "pasaporte", "passaporte", "dni", "cni", "cpf", "nin", "nic", "nid", "nida", "huduma", "philsys", "philhealth", "psn",
        "citizenship", "cedula", "curp", "rut", "dpi", "cui", "nuip", "certificate", "naissance", "nacimiento", "nascimento", "security", "sss", "umid", "tin",
    };

    public static Hit? VehiclePlate(NoteText note)
    {
        if (note.Digits < 3)
        {
            return null;
        }

        foreach (Match m in PlateShape().Matches(note.Text))
        {
            var letters = m.Groups["letters"];
            if (!letters.Success || (!NotPlates.Contains(letters.Value) && !WordLists.Currencies.Contains(letters.Value) && !IsYear(m.Groups["digits"].Value)))
            {
                return new(PersonalDataKind.VehiclePlate, true);
            }
        }

        foreach (var token in note.Tokens)
        {
            if ((PlateCues.Contains(token.Key) || token.Key.StartsWith("immatricul", StringComparison.Ordinal)) && PlateAfter().IsMatch(note.Text, token.End))
            {
                return new(PersonalDataKind.VehiclePlate, true);
            }
        }

        return null;
    }

    private static readonly HashSet<string> PlateCues = new(StringComparer.Ordinal) { "plate", "plates", "placa", "plaque", "registration", "reg", "matricula", "license", "licence" };

    /// <summary>Letters before a number that make it a statute, a unit or a code, not a plate.</summary>
    private static readonly HashSet<string> NotPlates = new(StringComparer.Ordinal)
    {
        "RA", "PD", "EO", "BP", "SOA", "CAP", "ACT", "LEY", "LEI", "LOI", "ART", "SEC", "ISO", "RTC", "MTC", "GBV", "SDG", "CRC", "PNP", "DCI", "COVID", "NO", "NR", "BE", "AD", "TIP", "OB", "CR", "RG",
    };

    public static Hit? Phone(NoteText note)
    {
        var runs = Runs(note);
        Hit? possible = null;
        foreach (var run in runs)
        {
            if (run.Excused)
            {
                continue;
            }

            var digits = run.Digits.Length;
            var cue = PhoneCueBefore(note, run.Start);
            if (digits >= 9 || (digits >= 7 && (cue || run.Contiguous)))
            {
                return new(cue || !run.Contiguous ? PersonalDataKind.Phone : PersonalDataKind.IdNumber, true);
            }

            if (digits >= 7)
            {
                possible ??= new(PersonalDataKind.Phone, false);
            }
            else if (digits >= 5 && run.Contiguous)
            {
                // A bare number of five or more digits that is no amount or statute: an identity or file number.
                return new(PersonalDataKind.IdNumber, true);
            }
        }

        if (runs.Any(r => !r.Excused && r.Digits.Length >= 7) && FoundByLibrary(note, runs))
        {
            return new(PersonalDataKind.Phone, true);
        }

        return SpelledOut(note) ?? possible;
    }

    /// <summary>libphonenumber, read in the case's country: it knows each country's valid numbers.</summary>
    private static bool FoundByLibrary(NoteText note, List<Run> runs)
    {
        var region = note.Country is { } country && Phones.GetSupportedRegions().Contains(country) ? country : "ZZ";
        foreach (var match in Phones.FindNumbers(note.Text, region, PhoneNumberUtil.Leniency.VALID, long.MaxValue))
        {
            var start = match.Start;
            var end = match.Start + match.Length;
            if (!runs.Any(r => r.Excused && r.Start < end && r.End > start))
            {
                return true;
            }
        }

        return false;
    }

    private static List<Run> Runs(NoteText note)
    {
        var text = note.Text;
        var runs = new List<Run>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i > 0 && text[i - 1] == '+' ? i - 1 : i;
            var digits = new System.Text.StringBuilder();
            var groups = 0;
            var separators = new HashSet<char>();
            var end = i;
            while (true)
            {
                var groupStart = i;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                digits.Append(text, groupStart, i - groupStart);
                groups++;
                end = i;
                var gap = i;
                while (gap < text.Length && gap - i < 3 && RunSeparators.Contains(text[gap]))
                {
                    gap++;
                }

                if (gap == i || gap >= text.Length || !char.IsAsciiDigit(text[gap]))
                {
                    break;
                }

                for (var s = i; s < gap; s++)
                {
                    separators.Add(text[s]);
                }

                i = gap;
            }

            runs.Add(new Run(start, end, digits.ToString(), groups, groups == 1, Excused(note, start, end, separators)));
            i = end;
        }

        return runs;
    }

    private static readonly HashSet<char> RunSeparators = [' ', '.', '-', '/', '_', '(', ')', ',', '|', '\\', '+', '\''];

    /// <summary>Amounts, years and year ranges, dates, and the numbers of statutes.</summary>
    private static bool Excused(NoteText note, int start, int end, HashSet<char> separators)
    {
        var text = note.Text[start..end];
        if (AfterLawWord(note, start) || NearCurrency(note, start, end))
        {
            return true;
        }

        var parts = text.Split([' ', '.', '-', '/', '_', '(', ')', ',', '|', '\\', '+', '\''], StringSplitOptions.RemoveEmptyEntries);
        if (parts.All(IsYear) || WholeDate().IsMatch(text))
        {
            return true;
        }

        // Thousands written with one separator: "1,250,000", "50.000,00".
        return separators.Count == 1 && (separators.Contains(',') || separators.Contains('.')) && parts.Length > 1 && parts[0].Length <= 3 && parts.Skip(1).All(p => p.Length == 3);
    }

    private static bool IsYear(string digits) => digits.Length == 4 && (digits.StartsWith("19", StringComparison.Ordinal) || digits.StartsWith("20", StringComparison.Ordinal));

    /// <summary>"KES 50,000", "R$ 50.000,00", "2 000 000 FCFA", "S/ 10,000": an amount.</summary>
    private static bool NearCurrency(NoteText note, int start, int end)
    {
        var symbol = start - 1;
        while (symbol >= 0 && note.Text[symbol] == ' ')
        {
            symbol--;
        }

        if (symbol >= 0 && note.Text[symbol] is '$' or '€' or '£' or '¥' or '₱' or '฿' or '₹' or '₦' or '₵' or '/')
        {
            return true;
        }

        var i = note.TokenAt(start);
        var before = i > 0 && note.Tokens[i - 1].End >= start - 2 ? note.Tokens[i - 1].Key : null;
        var next = i;
        while (next < note.Tokens.Count && note.Tokens[next].Start < end)
        {
            next++;
        }

        var after = next < note.Tokens.Count && note.Tokens[next].Start - end <= 2 ? note.Tokens[next].Key : null;
        return (before is not null && (WordLists.Currencies.Contains(before.ToUpperInvariant()) || CurrencyWords.Contains(before)))
            || (after is not null && (WordLists.Currencies.Contains(after.ToUpperInvariant()) || CurrencyWords.Contains(after)));
    }

    private static readonly HashSet<string> CurrencyWords = new(StringComparer.Ordinal)
    {
        "ksh", "kshs", "sh", "shs", "rs", "q", "soles", "sol", "pesos", "baht", "shillings", "rupees", "reais", "reales", "quetzales", "euros", "dollars",
        "dolares", "francs", "fcfa", "cfa", "naira", "cedis", "dirhams", "usd", "eur",
    };

    private static bool AfterLawWord(NoteText note, int position)
    {
        var i = note.TokenAt(position) - 1;
        while (i >= 0 && note.Tokens[i].Key is "no" or "n" or "nr" or "number" or "numero" or "organica" or "num")
        {
            i--;
        }

        return i >= 0 && (LawWords.Contains(note.Tokens[i].Key) || (i > 0 && note.Tokens[i].Key is "a" or "e" && note.Tokens[i - 1].Key is "r" or "b"));
    }

    private static bool PhoneCueBefore(NoteText note, int position) => note.WordBefore(position, 6, PhoneCues);

    private static readonly HashSet<string> LawWords = new(StringComparer.Ordinal)
    {
        "act", "law", "ley", "lei", "loi", "decree", "decreto", "decret", "article", "art", "articulo", "artigo", "section", "sec", "cap", "chapter",
        "regulation", "resolution", "resolucion", "resolucao", "ordinance", "convention", "ra", "pd", "eo", "be",
    };

    private static readonly HashSet<string> PhoneCues = new(StringComparer.Ordinal)
    {
        "phone", "tel", "telephone", "mobile", "cell", "cellphone", "call", "calls", "number", "numbers", "whatsapp", "viber", "signal", "sms", "text",
        "contact", "reached", "portable", "numero", "telefono", "celular", "movil", "contacto", "telefone", "contato", "simu", "namba", "cp", "line",
    };

    /// <summary>
    /// Digits spelled out (en, fr, es, pt, and Swahili and Filipino) and read one after another:
    /// seven or more digits in a row is a number no legal note needs.
    /// </summary>
    private static Hit? SpelledOut(NoteText note)
    {
        var digits = 0;
        var words = 0;
        var previousEnd = -1;
        var pendingTens = false;
        foreach (var token in note.Tokens)
        {
            var joined = previousEnd >= 0 && note.Text.AsSpan(previousEnd, token.Start - previousEnd).Trim(" ,.-/()").IsEmpty;
            if (!joined)
            {
                (digits, words, pendingTens) = (0, 0, false);
            }

            previousEnd = token.End;
            if (token.IsNumber)
            {
                digits += token.Length;
                pendingTens = false;
                continue;
            }

            if (!SpelledDigits.ContainsKey(token.Key) && !token.Key.Contains('-', StringComparison.Ordinal) && token.Key is not ("y" or "e" or "et" or "and" or "na" or "plus" or "double" or "triple"))
            {
                (digits, words, pendingTens) = (0, 0, false);
                continue;
            }

            foreach (var part in token.Key.Contains('-', StringComparison.Ordinal) && !SpelledDigits.ContainsKey(token.Key) ? token.Key.Split('-') : [token.Key])
            {
                if (SpelledDigits.TryGetValue(part, out var value))
                {
                    // "treinta y cuatro", "vingt et un", "seventy eight": the unit belongs to the tens.
                    if (pendingTens && value.Length == 1 && value != "0")
                    {
                        pendingTens = false;
                    }
                    else
                    {
                        digits += value.Length;
                        pendingTens = value.Length == 2 && value[1] == '0';
                    }

                    words++;
                }
                else if (part is "double" or "triple")
                {
                    digits += part == "double" ? 1 : 2;
                }
                else if (!(part is "y" or "e" or "et" or "and" or "na" && digits > 0) && part != "plus")
                {
                    // Only "and" between tens and units, or "plus" before a country code, keeps a number going.
                    (digits, words, pendingTens) = (0, 0, false);
                }

                if (digits >= 7 && words >= 3)
                {
                    return new(PersonalDataKind.Phone, true);
                }
            }
        }

        return null;
    }

    /// <summary>Digit words, and the two-digit words French, Spanish and Portuguese speakers read numbers in.</summary>
    private static readonly Dictionary<string, string> SpelledDigits = BuildSpelledDigits();

    private static Dictionary<string, string> BuildSpelledDigits()
    {
        var digits = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string number, params string[] words)
        {
            foreach (var word in words)
            {
                digits[NoteText.Key(word)] = number;
            }
        }

        Add("0", "zero", "oh", "nought", "zéro", "cero", "sifuri", "sufuri", "sero");
        Add("1", "one", "un", "une", "uno", "um", "uma", "moja", "isa");
        Add("2", "two", "deux", "dos", "dois", "duas", "mbili", "dalawa");
        Add("3", "three", "trois", "tres", "três", "tatu", "tatlo");
        Add("4", "four", "quatre", "cuatro", "quatro", "nne", "apat");
        Add("5", "five", "cinq", "cinco", "tano", "lima");
        Add("6", "six", "seis", "sita", "anim");
        Add("7", "seven", "sept", "siete", "sete", "saba", "pito");
        Add("8", "eight", "huit", "ocho", "oito", "nane", "walo");
        Add("9", "nine", "neuf", "nueve", "nove", "tisa", "siyam");
        Add("10", "ten", "dix", "diez", "dez");
        Add("11", "eleven", "onze", "once");
        Add("12", "twelve", "douze", "doce", "doze");
        Add("13", "thirteen", "treize", "trece", "treze");
        Add("14", "fourteen", "quatorze", "catorce", "catorze");
        Add("15", "fifteen", "quinze", "quince");
        Add("16", "sixteen", "seize", "dieciséis", "dezesseis");
        Add("17", "seventeen", "dix-sept", "diecisiete", "dezessete");
        Add("18", "eighteen", "dix-huit", "dieciocho", "dezoito");
        Add("19", "nineteen", "dix-neuf", "diecinueve", "dezenove");
        Add("20", "twenty", "vingt", "veinte", "vinte");
        Add("30", "thirty", "trente", "treinta", "trinta");
        Add("40", "forty", "quarante", "cuarenta", "quarenta");
        Add("50", "fifty", "cinquante", "cincuenta", "cinquenta");
        Add("60", "sixty", "soixante", "sesenta", "sessenta");
        Add("70", "seventy", "soixante-dix", "setenta");
        Add("80", "eighty", "quatre-vingt", "quatre-vingts", "ochenta", "oitenta");
        Add("90", "ninety", "quatre-vingt-dix", "noventa");
        string[] tensWords = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "vingt", "trente", "quarante", "cinquante", "soixante"];
        string[] unitWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
        string[] frenchUnits = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"];
        for (var t = 0; t < tensWords.Length; t++)
        {
            var tens = tensWords[t];
            var tensValue = t < 8 ? (t + 2) * 10 : (t - 6) * 10;
            var units = t < 8 ? unitWords : frenchUnits;
            for (var u = 0; u < units.Length; u++)
            {
                Add((tensValue + u + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), $"{tens}-{units[u]}");
            }
        }

        // "soixante-dix-huit" (78), "quatre-vingt-dix-neuf" (99), "soixante-et-onze" (71).
        string[] teens = ["onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"];
        for (var u = 0; u < teens.Length; u++)
        {
            Add((71 + u).ToString(System.Globalization.CultureInfo.InvariantCulture), $"soixante-{teens[u]}");
            Add((91 + u).ToString(System.Globalization.CultureInfo.InvariantCulture), $"quatre-vingt-{teens[u]}");
        }

        Add("71", "soixante-et-onze");
        Add("21", "veintiuno", "veintiún");
        Add("22", "veintidós");
        Add("23", "veintitrés");
        Add("24", "veinticuatro");
        Add("25", "veinticinco");
        Add("26", "veintiséis");
        Add("27", "veintisiete");
        Add("28", "veintiocho");
        Add("29", "veintinueve");
        return digits;
    }

    // "45/2022", "1234-2023": a file's number and year.
    [GeneratedRegex(@"(?<![\d/.-])(?<first>\d{1,7})[/-](?:19|20)\d{2}(?![\d/.-]?\d)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex NumberOfYear();

    [GeneratedRegex(@"\G\.?(?: (?:fiscal|entry|du parquet|penal|criminal))? ?(?i:no\.?|n[°ºo]\.?|nr\.?|num\.?|núm\.?|number|número|numero|numéro|#)? ?:? ?(?<number>(?:[A-Z]{1,6}[- ]?)?\d[\dA-Z/.\-]*)", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex FileNumberAfter();

    [GeneratedRegex(@"\G\.?(?: \p{Ll}+){0,3} ?(?i:no\.?|n[°º]\.?|number|número|numero|numéro|#)? ?:? ?(?<number>[A-Z0-9][A-Z0-9 ./-]{4,30})", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex IdNumberAfter();

    // Kenya and Uganda, cars and motorcycles ("KBX 123A", "KMFA 123X"); France and Senegal ("AB-123-CD", "DK-4567-BC");
    // the Philippines and Peru ("ABC-1234", "ABC-123"), unless the letters are a statute's or a currency's.
    [GeneratedRegex(@"\b(?:[KU][A-Z]{2,3} ?\d{3}[A-Z]|[A-Z]{1,2}-\d{3,4}-[A-Z]{1,2}|(?<letters>[A-Z]{2,3})-(?<digits>\d{3,4}))\b", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PlateShape();

    [GeneratedRegex(@"\G\.?:? ?(?:no\.? ?|number ?)?(?=[A-Z0-9 -]{4,12}\b)(?=[A-Z -]*\d)(?=[\d -]*[A-Z])[A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,4}", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex PlateAfter();

    [GeneratedRegex(@"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$", RegexOptions.CultureInvariant, Timeout)]
    private static partial Regex WholeDate();

}
