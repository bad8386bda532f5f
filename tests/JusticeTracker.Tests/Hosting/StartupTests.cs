using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting;

namespace JusticeTracker.Tests.Hosting;

public sealed class StartupTests
{
    [Fact]
    public async Task the_development_sign_in_refuses_to_start_outside_development()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("DevSignIn:Enabled", "true");
        }));

        Assert.Contains("only runs in Development", Flatten(failure), StringComparison.Ordinal);
    }

    /// <summary>The environment's name is only a label: a mislabelled deployment must not serve the development sign-in beside Entra ID.</summary>
    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    [InlineData("Production")]
    public async Task the_development_sign_in_refuses_to_start_beside_entra_id_whatever_the_environment(string environment)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("DevSignIn:Enabled", "true");
            builder.UseSetting("AzureAd:TenantId", "11111111-2222-3333-4444-555555555555");
            builder.UseSetting("AzureAd:ClientId", "66666666-7777-8888-9999-000000000000");
        }));

        Assert.Contains("The development sign-in (DevSignIn:Enabled) is on and Entra ID is configured", Flatten(failure), StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_demo_data_refuses_to_load_outside_development()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("AzureAd:ClientId", "66666666-7777-8888-9999-000000000000");
            builder.UseSetting("Demo:Seed", "true");
        }));

        Assert.Contains("only loads in Development", Flatten(failure), StringComparison.Ordinal);
    }

    /// <summary>The refusal comes before anything is written: no key of the ring is ever stored unencrypted.</summary>
    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task outside_development_the_app_refuses_to_start_without_the_certificate_that_encrypts_its_keys(string environment)
    {
        var keys = await KeyCount();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment(environment);
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
            builder.UseSetting("AzureAd:TenantId", "11111111-2222-3333-4444-555555555555");
            builder.UseSetting("AzureAd:ClientId", "66666666-7777-8888-9999-000000000000");
        }));

        Assert.Contains("Set DataProtection__CertificatePath and DataProtection__KeyPath", Flatten(failure), StringComparison.Ordinal);
        Assert.Equal(keys, await KeyCount());
    }

    [Fact]
    public async Task a_certificate_without_its_private_key_is_refused()
    {
        var (certificate, _) = KeyCertificates.Write("no key");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting(CaseStore.ConnectionVariable, AppFixture.ConnectionString);
            builder.UseSetting("AzureAd:ClientId", "66666666-7777-8888-9999-000000000000");
            builder.UseSetting("DataProtection:CertificatePath", certificate);
        }));

        Assert.Contains("The Data Protection certificate (DataProtection:CertificatePath)", Flatten(failure), StringComparison.Ordinal);
    }

    /// <summary>The keys stored, or none if no app has made the table yet (when this class runs first on a new database).</summary>
    private static async Task<long> KeyCount()
    {
        try
        {
            return await Databases.CountAsync(AppFixture.ConnectionString, "SELECT count(*) FROM jt.data_protection_keys");
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    [Fact]
    public async Task without_a_database_the_app_says_how_to_get_one()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting(CaseStore.ConnectionVariable, "");
        }));

        Assert.Contains("infra/run.sh", Flatten(failure), StringComparison.Ordinal);
    }

    private static string Flatten(Exception ex) => ex.ToString();
}
