namespace JusticeTracker.Pages;

/// <summary>
/// A country's English name, else its ISO code. (RegionInfo.DisplayName follows the region's own
/// culture on ICU, so it gave Thai and Nepali names on an English page.)
/// </summary>
public static class CountryNames
{
    public static string Of(string code)
    {
        try
        {
            return new System.Globalization.RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
