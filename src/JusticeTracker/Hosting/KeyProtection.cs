using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace JusticeTracker.Hosting;

/// <summary>
/// The X.509 certificate that encrypts the Data Protection keys in the database (section
/// <c>DataProtection</c>): PEM files mounted from the secret store's Secret, never the database.
/// </summary>
public sealed class KeyProtectionOptions
{
    /// <summary>The certificate, PEM (<c>tls.crt</c> of a kubernetes.io/tls Secret).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Its private key, PEM, unencrypted PKCS#8 or PKCS#1 (<c>tls.key</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>During a rotation, the previous certificate: it no longer encrypts new keys but still reads the keys it encrypted.</summary>
    public string? PreviousCertificatePath { get; set; }

    public string? PreviousKeyPath { get; set; }
}

/// <summary>
/// Keys that sign session cookies and antiforgery tokens are encrypted at rest with a certificate
/// kept apart from the database, so a copy of the database (a dump, a backup, a read-only
/// account) is not enough to forge a session. Outside Development the app does not start without it.
/// </summary>
public static class KeyProtection
{
    public const string Missing =
        "Outside Development the Data Protection keys (which protect session cookies and antiforgery tokens) are kept in the database " +
        "encrypted with an X.509 certificate from the secret store, and none is configured. Set DataProtection__CertificatePath and " +
        "DataProtection__KeyPath to the PEM certificate and private key mounted from the Secret justicetracker-data-protection " +
        "(infra/k8s, docs/operations.md).";

    /// <summary>
    /// Called before Data Protection is added: its own start-up service reads the key ring and, on
    /// an empty one, writes a new key. A refusal registered first runs first, so no key is ever
    /// written unencrypted. The refusal is at start rather than here, so the <c>migrate</c>
    /// command, which builds the host but never starts it, runs without the certificate.
    /// </summary>
    public static void RefuseToStartWithout(WebApplicationBuilder builder, KeyProtectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CertificatePath) && !builder.Environment.IsDevelopment())
        {
            builder.Services.AddHostedService(_ => new Refusal(Missing));
        }
    }

    /// <summary>Encrypts new keys with the certificate; reads keys encrypted with it or with the previous one.</summary>
    public static IDataProtectionBuilder ProtectKeys(this IDataProtectionBuilder dataProtection, KeyProtectionOptions options)
    {
        // An empty value is "not set", as docker-compose passes an unset variable.
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return dataProtection;
        }

        var certificate = Load(options.CertificatePath, options.KeyPath, "DataProtection:CertificatePath");
        dataProtection.ProtectKeysWithCertificate(certificate);
        if (!string.IsNullOrWhiteSpace(options.PreviousCertificatePath))
        {
            dataProtection.UnprotectKeysWithAnyCertificate(certificate, Load(options.PreviousCertificatePath, options.PreviousKeyPath, "DataProtection:PreviousCertificatePath"));
        }

        return dataProtection;
    }

    private static X509Certificate2 Load(string certificatePath, string? keyPath, string setting)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, string.IsNullOrWhiteSpace(keyPath) ? null : keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The Data Protection certificate ({setting}) could not be read as a PEM certificate and private key: {e.Message}", e);
        }

        // Without its private key the certificate encrypts keys that no node could read back.
        return certificate.HasPrivateKey && certificate.GetRSAPrivateKey() is not null
            ? certificate
            : throw new InvalidOperationException($"The Data Protection certificate ({setting}) needs its RSA private key (DataProtection:KeyPath).");
    }

    private sealed class Refusal(string reason) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(reason);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
