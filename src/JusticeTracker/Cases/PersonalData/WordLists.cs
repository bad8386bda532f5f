using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using JusticeTracker.Statistics;

namespace JusticeTracker.Cases.PersonalData;

/// <summary>
/// The word lists the check reads, from the assembly's resources, loaded once for the process
/// (a few megabytes; see infra/gazetteer/build.sh for how they are made and from what).
/// </summary>
internal static class WordLists
{
    private static readonly Lazy<Lists> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Given and family names of the partner countries' languages.</summary>
    public static HashSet<string> Names => Loaded.Value.Names;

    /// <summary>Ordinary words of en/fr/es/pt (some, such as "grace", also names).</summary>
    public static HashSet<string> Common => Loaded.Value.Common;

    /// <summary>Words of the law, institutions and case work, nationalities, months: never a name.</summary>
    public static HashSet<string> Lexicon => Loaded.Value.Lexicon;

    /// <summary>Countries, regions and towns, as phrases of one to four words.</summary>
    public static HashSet<string> Places => Loaded.Value.Places;

    /// <summary>The first words of places named in several words ("san" of "san juan de lurigancho").</summary>
    public static HashSet<string> PlaceStarts => Loaded.Value.PlaceStarts;

    /// <summary>The IANA top-level domains.</summary>
    public static HashSet<string> TopLevelDomains => Loaded.Value.TopLevelDomains;

    /// <summary>ISO 4217 currency codes (and CFA): "KES 500" is an amount, not a plate.</summary>
    public static HashSet<string> Currencies => Loaded.Value.Currencies;

    private sealed record Lists(HashSet<string> Names, HashSet<string> Common, HashSet<string> Lexicon, HashSet<string> Places, HashSet<string> PlaceStarts, HashSet<string> TopLevelDomains, HashSet<string> Currencies);

    private static Lists Load()
    {
        var places = Set(Read("places.txt"));
        foreach (var region in Regions.All)
        {
            places.Add(NoteText.Key(region.Name));
            places.Add(NoteText.Key(region.ContinentName));
            foreach (var code in Regions.CountriesIn(region.Code))
            {
                foreach (var name in CountryNames(code))
                {
                    places.Add(NoteText.Key(name));
                }
            }
        }

        var currencies = new HashSet<string>(StringComparer.Ordinal) { "CFA", "FCFA", "XOF", "XAF", "RS", "SOLES" };
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                currencies.Add(new RegionInfo(culture.Name).ISOCurrencySymbol);
            }
            catch (ArgumentException)
            {
                // A culture without a region has no currency to add.
            }
        }

        var starts = new HashSet<string>(places.Where(p => p.Contains(' ', StringComparison.Ordinal)).Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]), StringComparer.Ordinal);
        return new Lists(Set(Read("names.txt.gz")), Set(Read("common-words.txt.gz")), Set(Read("lexicon.txt")), places, starts, Set(Read("tlds.txt")), currencies);
    }

    private static IEnumerable<string> CountryNames(string code)
    {
        string english;
        try
        {
            english = new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            yield break;
        }

        yield return english;

        // "Kenya" for "Kenya", and the short forms people write: "Congo" for "Congo (DRC)", "Tanzania" for "United Republic of Tanzania".
        var bracket = english.IndexOf(" (", StringComparison.Ordinal);
        if (bracket > 0)
        {
            yield return english[..bracket];
        }
    }

    private static HashSet<string> Set(IEnumerable<string> lines) =>
        new(lines.Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').Select(NoteText.Key), StringComparer.Ordinal);

    private static List<string> Read(string name)
    {
        using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream("PersonalData." + name)
            ?? throw new InvalidOperationException($"The personal-data word list {name} is missing from the assembly.");
        using var stream = name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(resource, CompressionMode.Decompress) : resource;
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
