using System.Globalization;
using JusticeTracker.Cases;

namespace JusticeTracker.Statistics;

/// <summary>What a place in the figures is. Hidden places gather cases of countries outside the network's list: never shown, always counted.</summary>
public enum PlaceKind { Network, Region, Country, Hidden }

/// <summary>A place figures are given for, and the place its cases are part of (-1 for the network).</summary>
public sealed record Place(string Code, PlaceKind Kind, int Parent);

/// <summary>How far apart the permitted "as of" dates are (section <c>Statistics</c>, <c>AsOfGrain</c>).</summary>
public enum AsOfGrain { Month, Quarter, Year }

/// <summary>
/// Every value a report can be asked for, fixed before any case is counted: the member countries
/// (from the directory, whether or not they have cases), their UN regions, every year from the
/// configured first one to this one, every age band and sex, the currencies of the member
/// countries, and the permitted "as of" dates. Rows and filter lists always show the whole domain,
/// so whether a row is listed says nothing about the cases.
/// </summary>
public sealed class StatisticsDomain
{
    public const string HiddenCode = "~";

    public StatisticsDomain(IEnumerable<string> memberCountries, int firstYear, DateOnly today, AsOfGrain grain, IEnumerable<string> extraCurrencies)
    {
        Countries = [.. memberCountries.Select(c => c.ToUpperInvariant()).Where(c => Regions.Of(c) is not null).Distinct().Order(StringComparer.Ordinal)];
        RegionList = [.. Countries.Select(c => Regions.Of(c)!).DistinctBy(r => r.Code).OrderBy(r => r.Code, StringComparer.Ordinal)];

        // Network, listed regions, a hidden region for countries of regions not listed, listed
        // countries, then one hidden country per region for cases in countries not listed.
        List<Place> places = [new("", PlaceKind.Network, -1)];
        places.AddRange(RegionList.Select(r => new Place(r.Code, PlaceKind.Region, 0)));
        places.Add(new(HiddenCode, PlaceKind.Hidden, 0));
        var hiddenRegion = places.Count - 1;
        int RegionIndex(string code) => places.FindIndex(p => p.Kind == PlaceKind.Region && p.Code == code);
        places.AddRange(Countries.Select(c => new Place(c, PlaceKind.Country, RegionIndex(Regions.Of(c)!.Code))));
        places.AddRange(RegionList.Select(r => new Place(HiddenCode + r.Code, PlaceKind.Hidden, RegionIndex(r.Code))));
        places.Add(new(HiddenCode + HiddenCode, PlaceKind.Hidden, hiddenRegion));
        Places = places;
        Children = [.. places.Select((_, i) => places.Select((p, j) => (p, j)).Where(x => x.p.Parent == i).Select(x => x.j).ToArray())];

        FirstYear = Math.Min(firstYear, today.Year);
        Years = [.. Enumerable.Range(FirstYear, today.Year - FirstYear + 1)];
        Today = today;
        Grain = grain;
        Currencies = [.. Countries.Select(CurrencyOf).OfType<string>().Concat(extraCurrencies).Concat(["USD", "EUR"])
            .Where(IsoCodes.IsCurrency).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The member countries, in code order.</summary>
    public IReadOnlyList<string> Countries { get; }

    /// <summary>The UN regions of the member countries.</summary>
    public IReadOnlyList<Region> RegionList { get; }

    public IReadOnlyList<Place> Places { get; }

    public IReadOnlyList<int[]> Children { get; }

    public int FirstYear { get; }

    public IReadOnlyList<int> Years { get; }

    public DateOnly Today { get; }

    public AsOfGrain Grain { get; }

    public IReadOnlyList<string> Currencies { get; }

    /// <summary>Only with the test-only <see cref="Weakness.DayByDayAsOf"/>: any past day is permitted.</summary>
    internal bool AnyDay { get; set; }

    /// <summary>The place index a case's country counts under: the country, or its region's hidden place.</summary>
    public int PlaceOfCase(string country)
    {
        var listed = PlaceIndex(country);
        if (listed is { } i && Places[i].Kind == PlaceKind.Country)
        {
            return i;
        }

        var region = Regions.Of(country)?.Code;
        var hidden = region is null ? -1 : IndexOf(HiddenCode + region);
        return hidden >= 0 ? hidden : IndexOf(HiddenCode + HiddenCode);
    }

    /// <summary>The index of a listed place (country or region code; empty for the network), or null.</summary>
    public int? PlaceIndex(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return 0;
        }

        var i = IndexOf(code.ToUpperInvariant());
        return i >= 0 && Places[i].Kind is PlaceKind.Country or PlaceKind.Region ? i : null;
    }

    /// <summary>The year index of a listed year (0 for every year), or null.</summary>
    public int? YearIndex(int? year) => year is not { } y ? 0 : y >= FirstYear && y <= Years[^1] ? y - FirstYear + 1 : null;

    /// <summary>The year index a case counts under: its year, or the hidden one past the listed years.</summary>
    public int YearOfCase(int year) => YearIndex(year) is { } i and > 0 ? i : Years.Count + 1;

    /// <summary>Whether "as of" may be asked for this day: the last day of a month (or quarter, or year), before today, from the first year on.</summary>
    public bool IsPermitted(DateOnly day) =>
        day < Today && day.Year >= FirstYear && (AnyDay || day.AddDays(1).Day == 1)
        && Grain switch
        {
            AsOfGrain.Quarter => day.Month % 3 == 0,
            AsOfGrain.Year => day.Month == 12,
            _ => true,
        };

    /// <summary>Every permitted "as of" date, newest first.</summary>
    public IReadOnlyList<DateOnly> PermittedDates()
    {
        var dates = new List<DateOnly>();
        var step = AnyDay ? (Func<DateOnly, DateOnly>)(d => d.AddDays(-1)) : d => new DateOnly(d.Year, d.Month, 1).AddDays(-1);
        for (var day = AnyDay ? Today.AddDays(-1) : step(Today); day.Year >= FirstYear; day = step(day))
        {
            if (IsPermitted(day))
            {
                dates.Add(day);
            }
        }

        return dates;
    }

    /// <summary>The permitted date after this one, or null when the next is today.</summary>
    public DateOnly? NextPermitted(DateOnly day) => PermittedDates().Where(d => d > day).Order().Cast<DateOnly?>().FirstOrDefault();

    private int IndexOf(string code)
    {
        for (var i = 0; i < Places.Count; i++)
        {
            if (Places[i].Code == code)
            {
                return i;
            }
        }

        return -1;
    }

    private static string? CurrencyOf(string country)
    {
        try
        {
            return new RegionInfo(country).ISOCurrencySymbol;
        }
        catch (ArgumentException)
        {
            // The runtime's region data may not know a code; its currency is then not listed by
            // default, and a deployment adds it with Statistics:Currencies.
            return null;
        }
    }
}
