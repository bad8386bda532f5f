using System.Security.Cryptography;
using JusticeTracker.Hosting;
using JusticeTracker.Tests.Fixtures;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JusticeTracker.Tests.Hosting;

/// <summary>
/// Outside Development the Data Protection keys are stored in the database encrypted with a
/// certificate from the secret store: the rows alone are not enough to read a session cookie.
/// A database of its own, so the key ring starts empty and every key in it was written here.
/// </summary>
public sealed class KeyProtectionTests
{
    private static readonly string Database = new NpgsqlConnectionStringBuilder(AppFixture.ConnectionString).Database + "_keys";

    private static Task<IAlbaHost> ProductionNode(string connectionString, (string Certificate, string Key) certificate, (string Certificate, string Key)? previous = null) =>
        AlbaHost.For<Program>(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting(CaseStore.ConnectionVariable, connectionString);
            builder.UseSetting("Database:CreateSchemaOnStartup", "true");
            builder.UseSetting("AzureAd:Instance", "https://login.microsoftonline.com/");
            builder.UseSetting("AzureAd:TenantId", "11111111-2222-3333-4444-555555555555");
            builder.UseSetting("AzureAd:ClientId", "66666666-7777-8888-9999-000000000000");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            foreach (var (key, value) in KeyCertificates.Settings(certificate))
            {
                builder.UseSetting(key, value);
            }

            if (previous is { } old)
            {
                builder.UseSetting("DataProtection:PreviousCertificatePath", old.Certificate);
                builder.UseSetting("DataProtection:PreviousKeyPath", old.Key);
            }
        });

    private static IDataProtector Protector(IAlbaHost host) => host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("KeyProtectionTests");

    [Fact]
    public async Task keys_are_stored_encrypted_with_the_certificate_and_only_a_node_holding_it_reads_them()
    {
        var connectionString = await Databases.RecreateAsync(Database);
        var first = KeyCertificates.Write("first");
        string cookie;
        await using (var node = await ProductionNode(connectionString, first))
        {
            cookie = Protector(node).Protect("a session");
        }

        var keys = await ReadKeysAsync(connectionString);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret decryptorType=\"Microsoft.AspNetCore.DataProtection.XmlEncryption.EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
            Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });

        // Another node with the same certificate reads the cookie; a node with another certificate cannot.
        await using (var same = await ProductionNode(connectionString, first))
        {
            Assert.Equal("a session", Protector(same).Unprotect(cookie));
        }

        var second = KeyCertificates.Write("second");
        await using (var stranger = await ProductionNode(connectionString, second))
        {
            Assert.ThrowsAny<CryptographicException>(() => Protector(stranger).Unprotect(cookie));
        }

        // A rotation: the new certificate encrypts, the previous one still reads the keys it encrypted.
        await using (var rotated = await ProductionNode(connectionString, second, previous: first))
        {
            Assert.Equal("a session", Protector(rotated).Unprotect(cookie));
        }

        await Databases.RecreateAsync(Database, create: false);
    }

    private static async Task<List<string>> ReadKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM jt.data_protection_keys ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }
}
