using JusticeTracker.Cases;
using JusticeTracker.Statistics;

namespace JusticeTracker.Tests.Statistics;

/// <summary>The country-to-region table against the ISO codes the app accepts and the UN M49 list.</summary>
public sealed class RegionsTests
{
    // Antarctica is the one accepted code M49 gives no region.
    private static readonly string[] Unmapped = ["AQ"];

    [Fact]
    public void every_accepted_country_code_has_a_region_except_antarctica()
    {
        var missing = IsoCodes.Countries.Where(c => Regions.Of(c) is null).Order(StringComparer.Ordinal);

        Assert.Equal(Unmapped, missing);
    }

    [Fact]
    public void every_mapped_country_is_a_code_the_app_accepts()
    {
        var mapped = Regions.All.SelectMany(r => Regions.CountriesIn(r.Code));

        Assert.All(mapped, c => Assert.True(IsoCodes.IsCountry(c), c));
    }

    [Theory]
    [InlineData("KE", "014", "Eastern Africa")]
    [InlineData("UG", "014", "Eastern Africa")]
    [InlineData("SN", "011", "Western Africa")]
    [InlineData("SD", "015", "Northern Africa")]
    [InlineData("PH", "035", "South-eastern Asia")]
    [InlineData("TH", "035", "South-eastern Asia")]
    [InlineData("NP", "034", "Southern Asia")]
    [InlineData("IR", "034", "Southern Asia")]
    [InlineData("AF", "034", "Southern Asia")]
    [InlineData("TR", "145", "Western Asia")]
    [InlineData("CY", "145", "Western Asia")]
    [InlineData("AM", "145", "Western Asia")]
    [InlineData("KZ", "143", "Central Asia")]
    [InlineData("MN", "030", "Eastern Asia")]
    [InlineData("GT", "013", "Central America")]
    [InlineData("MX", "013", "Central America")]
    [InlineData("PE", "005", "South America")]
    [InlineData("RU", "151", "Eastern Europe")]
    [InlineData("FR", "155", "Western Europe")]
    [InlineData("NZ", "053", "Australia and New Zealand")]
    [InlineData("PG", "054", "Melanesia")]
    public void known_countries_are_in_their_m49_region(string country, string code, string name)
    {
        var region = Regions.Of(country);

        Assert.NotNull(region);
        Assert.Equal(code, region.Code);
        Assert.Equal(name, region.Name);
    }

    [Fact]
    public void country_codes_are_matched_in_any_case_and_unknown_ones_have_no_region()
    {
        Assert.Equal(Regions.Of("KE"), Regions.Of("ke"));
        Assert.Null(Regions.Of("XX"));
        Assert.Null(Regions.Of(""));
    }

    [Fact]
    public void regions_belong_to_their_m49_continent()
    {
        var continents = new Dictionary<string, string>
        {
            ["002"] = "Africa",
            ["019"] = "Americas",
            ["142"] = "Asia",
            ["150"] = "Europe",
            ["009"] = "Oceania",
        };

        Assert.All(Regions.All, r => Assert.Equal(continents[r.ContinentCode], r.ContinentName));
        Assert.Equal("002", Regions.Of("KE")!.ContinentCode);
        Assert.Equal("019", Regions.Of("PE")!.ContinentCode);
    }

    [Fact]
    public void countries_in_is_the_inverse_of_of()
    {
        foreach (var region in Regions.All)
        {
            var countries = Regions.CountriesIn(region.Code);

            Assert.NotEmpty(countries);
            Assert.All(countries, c => Assert.Equal(region, Regions.Of(c)));
            Assert.Equal(countries.Order(StringComparer.Ordinal), countries);
        }

        foreach (var country in IsoCodes.Countries.Except(Unmapped))
        {
            Assert.Contains(country, Regions.CountriesIn(Regions.Of(country)!.Code));
        }
    }

    [Fact]
    public void no_country_is_in_two_regions()
    {
        var countries = Regions.All.SelectMany(r => Regions.CountriesIn(r.Code)).ToList();

        Assert.Equal(countries.Count, countries.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void regions_are_distinct_and_ordered_by_name()
    {
        Assert.Equal(Regions.All.Count, Regions.All.Select(r => r.Code).Distinct().Count());
        Assert.Equal(Regions.All.Select(r => r.Name).Order(StringComparer.Ordinal), Regions.All.Select(r => r.Name));
        Assert.Empty(Regions.CountriesIn("999"));
    }
}
