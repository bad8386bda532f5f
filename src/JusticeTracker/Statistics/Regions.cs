namespace JusticeTracker.Statistics;

/// <summary>A UN M49 geographic region (the intermediate region where M49 has one, else the sub-region).</summary>
public sealed record Region(string Code, string Name, string ContinentCode, string ContinentName);

/// <summary>
/// Countries by UN M49 region, the grouping UN treaty bodies and regional reports use, so figures
/// compare with theirs. Antarctica (AQ) belongs to no region. M49 does not list Taiwan (TW)
/// separately; it is placed in Eastern Asia so its cases still count in a regional comparison.
/// The Channel Islands (GG, JE) are an M49 intermediate region too small to compare on their own,
/// so they stay in Northern Europe.
/// </summary>
public static class Regions
{
    private static readonly (Region Region, string Countries)[] Table =
    [
        (new("014", "Eastern Africa", "002", "Africa"), "BI KM DJ ER ET KE MG MW MU YT MZ RE RW SC SO SS UG TZ ZM ZW IO TF"),
        (new("017", "Middle Africa", "002", "Africa"), "AO CM CF TD CG CD GQ GA ST"),
        (new("015", "Northern Africa", "002", "Africa"), "DZ EG LY MA SD TN EH"),
        (new("018", "Southern Africa", "002", "Africa"), "BW SZ LS NA ZA"),
        (new("011", "Western Africa", "002", "Africa"), "BJ BF CV CI GM GH GN GW LR ML MR NE NG SH SN SL TG"),
        (new("029", "Caribbean", "019", "Americas"), "AI AG AW BS BB BQ VG KY CU CW DM DO GD GP HT JM MQ MS PR BL KN LC MF VC SX TT TC VI"),
        (new("013", "Central America", "019", "Americas"), "BZ CR SV GT HN MX NI PA"),
        (new("005", "South America", "019", "Americas"), "AR BO BV BR CL CO EC FK GF GY PY PE GS SR UY VE"),
        (new("021", "Northern America", "019", "Americas"), "BM CA GL PM US"),
        (new("143", "Central Asia", "142", "Asia"), "KZ KG TJ TM UZ"),
        (new("030", "Eastern Asia", "142", "Asia"), "CN HK MO KP JP MN KR TW"),
        (new("035", "South-eastern Asia", "142", "Asia"), "BN KH ID LA MY MM PH SG TH TL VN"),
        (new("034", "Southern Asia", "142", "Asia"), "AF BD BT IN IR MV NP PK LK"),
        (new("145", "Western Asia", "142", "Asia"), "AM AZ BH CY GE IQ IL JO KW LB OM QA SA PS SY TR AE YE"),
        (new("151", "Eastern Europe", "150", "Europe"), "BY BG CZ HU PL MD RO RU SK UA"),
        (new("154", "Northern Europe", "150", "Europe"), "AX DK EE FO FI GG IS IE IM JE LV LT NO SJ SE GB"),
        (new("039", "Southern Europe", "150", "Europe"), "AL AD BA HR GI GR VA IT MT ME MK PT SM RS SI ES"),
        (new("155", "Western Europe", "150", "Europe"), "AT BE FR DE LI LU MC NL CH"),
        (new("053", "Australia and New Zealand", "009", "Oceania"), "AU CX CC HM NZ NF"),
        (new("054", "Melanesia", "009", "Oceania"), "FJ NC PG SB VU"),
        (new("057", "Micronesia", "009", "Oceania"), "GU KI MH FM NR MP PW UM"),
        (new("061", "Polynesia", "009", "Oceania"), "AS CK PF NU PN WS TK TO TV WF"),
    ];

    private static readonly Dictionary<string, Region> ByCountry = Table
        .SelectMany(r => r.Countries.Split(' ').Select(c => (Country: c, r.Region)))
        .ToDictionary(x => x.Country, x => x.Region, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every region that has a country, ordered by name.</summary>
    public static IReadOnlyList<Region> All { get; } = [.. Table.Select(r => r.Region).OrderBy(r => r.Name, StringComparer.Ordinal)];

    /// <summary>The region of an ISO 3166-1 alpha-2 code, in any case; null for an unknown code or AQ.</summary>
    public static Region? Of(string countryCode) => ByCountry.GetValueOrDefault(countryCode);

    /// <summary>The ISO codes of a region's countries, sorted; empty for an unknown region code.</summary>
    public static IReadOnlyList<string> CountriesIn(string regionCode) =>
        [.. Table.Where(r => r.Region.Code == regionCode).SelectMany(r => r.Countries.Split(' ')).Order(StringComparer.Ordinal)];
}
