using System.Globalization;
using JusticeTracker.Cases;
using Microsoft.Extensions.Localization;

namespace JusticeTracker.Statistics;

/// <summary>How a year narrows the figures: to the cases opened in it, or to what happened in it.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CountBasis>))]
public enum CountBasis
{
    /// <summary>The cases opened in the year, and everything that happened to them since.</summary>
    Opened,

    /// <summary>The steps cases reached within the year, whenever they were opened.</summary>
    Happened,
}

/// <summary>
/// What an analyst narrows the figures to. Place is a country (ISO code) or a region (UN M49
/// code); "as of" gives the figures as recorded by the end of that day, one of the permitted dates.
/// </summary>
public sealed record ReportFilter(
    string? Place = null,
    int? Year = null,
    AgeBand? AgeBand = null,
    Sex? Sex = null,
    ExploitationForm? Form = null,
    DateOnly? AsOf = null,
    ProfileFact? Fact = null,
    CountBasis Count = CountBasis.Opened)
{
    public bool PlaceIsRegion => Place is { Length: 3 } && Place.All(char.IsAsciiDigit);

    /// <summary>The cases the figures are read from: all, one form's, or those with one profile fact.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public FigureView View => new(Form, Fact);

    public int ConditionCount =>
        (Place is null ? 0 : 1) + (Year is null ? 0 : 1) + (AgeBand is null ? 0 : 1) + (Sex is null ? 0 : 1) + (Form is null ? 0 : 1) + (Fact is null ? 0 : 1);

    /// <summary>
    /// Reads a report filter from a query string, naming each field that is not understood, in the
    /// reader's language. Only values of the domain are accepted: a listed place or year, and a
    /// permitted "as of" date; the same lists the page offers.
    /// </summary>
    public static (ReportFilter Filter, Dictionary<string, string[]> Problems) Parse(IQueryCollection query, StatisticsDomain domain, IStringLocalizer texts)
    {
        var problems = new Dictionary<string, string[]>();
        string? Text(string name) => query[name].FirstOrDefault() is { Length: > 0 } value ? value.Trim() : null;
        T? Enum<T>(string name) where T : struct, Enum
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && char.IsAsciiLetter(text[0]) && !text.Contains(',', StringComparison.Ordinal))
            {
                return value;
            }

            problems[name] = [texts["Choose a value from the list."].Value];
            return null;
        }

        var place = Text("place")?.ToUpperInvariant();
        if (place is not null && domain.PlaceIndex(place) is null)
        {
            problems["place"] = [texts["Choose a place from the list: a member country or its UN region."].Value];
            place = null;
        }

        int? year = null;
        if (Text("year") is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && domain.YearIndex(y) is > 0)
            {
                year = y;
            }
            else
            {
                problems["year"] = [texts["Choose a year from the list, from {0} to {1}.", domain.Years[0], domain.Years[^1]].Value];
            }
        }

        DateOnly? asOf = null;
        if (Text("asOf") is { } asOfText)
        {
            if (DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && domain.IsPermitted(day))
            {
                asOf = day;
            }
            else
            {
                problems["asOf"] = [texts["Choose an \"as of\" date from the list: the last day of a month before this one, written as YYYY-MM-DD."].Value];
            }
        }

        var filter = new ReportFilter(place, year, Enum<AgeBand>("ageBand"), Enum<Sex>("sex"), Enum<ExploitationForm>("form"), asOf, Enum<ProfileFact>("fact"), Enum<CountBasis>("count") ?? CountBasis.Opened);
        if (filter is { Count: CountBasis.Happened, Year: null } && !problems.ContainsKey("year"))
        {
            problems["count"] = [texts["Choose a year: counting what happened needs the year it happened in."].Value];
        }

        if (filter is { Form: not null, Fact: not null })
        {
            // Figures are kept for one form's cases or one fact's, not for both at once.
            problems["fact"] = [texts["Choose a form of exploitation or a fact of the profile, not both."].Value];
        }
        else if (filter is { Count: CountBasis.Happened, Fact: not null })
        {
            // A fact's figures do not keep the year each step was reached (FigureView.Carries).
            problems["fact"] = [texts["Counting what happened in a year is not offered for a fact of the profile: remove the fact."].Value];
        }

        return (filter, problems);
    }
}
