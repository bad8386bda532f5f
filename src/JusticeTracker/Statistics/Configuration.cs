namespace JusticeTracker.Statistics;

/// <summary>The statistics' services and settings, registered once; the projection and its tables are in Hosting/CaseStore.cs with the event store.</summary>
public static class StatisticsRegistration
{
    public static WebApplicationBuilder AddStatistics(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Disclosure").Get<DisclosureOptions>() ?? new DisclosureOptions();
        if (options.K < 2 || options.Resolution < 1 || options.DominanceShare is <= 0 or > 1 || options.AmountDigits < 1)
        {
            throw new InvalidOperationException("Disclosure:K must be at least 2, Disclosure:Resolution and Disclosure:AmountDigits at least 1, and Disclosure:DominanceShare above 0 and at most 1.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Statistics").Get<StatisticsOptions>() ?? new StatisticsOptions());
        builder.Services.AddSingleton(builder.Configuration.GetSection("ExchangeRates").Get<ExchangeRates>() ?? new ExchangeRates());
        builder.Services.AddSingleton<Disclosure>();
        builder.Services.AddSingleton<StatisticsReader>();
        builder.Services.AddSingleton<Reports>();
        builder.Services.AddSingleton<OrganisationFigures>();
        builder.AddFilterBudget();
        return builder;
    }
}
