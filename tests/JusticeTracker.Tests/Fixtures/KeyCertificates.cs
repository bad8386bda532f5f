using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;

namespace JusticeTracker.Tests.Fixtures;

/// <summary>
/// Self-signed certificates for the Data Protection keys, written as the Secret mounts them in a
/// deployment (PEM <c>tls.crt</c> and <c>tls.key</c>). Hosts outside Development need one to start.
/// </summary>
public static class KeyCertificates
{
    private static readonly Lazy<(string Certificate, string Key)> Shared = new(() => Write("tests"));

    /// <summary>A new certificate and key, each in a file of its own directory under the temporary folder.</summary>
    public static (string Certificate, string Key) Write(string name)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=JusticeTracker Data Protection ({name})", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var directory = Directory.CreateTempSubdirectory("jt-data-protection-").FullName;
        var (certificatePath, keyPath) = (Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>The settings a node reads them from.</summary>
    public static Dictionary<string, string> Settings((string Certificate, string Key) files) => new()
    {
        ["DataProtection:CertificatePath"] = files.Certificate,
        ["DataProtection:KeyPath"] = files.Key,
    };

    /// <summary>One certificate for every host of the run that only needs to start.</summary>
    public static IWebHostBuilder WithKeyCertificate(this IWebHostBuilder builder)
    {
        foreach (var (key, value) in Settings(Shared.Value))
        {
            builder.UseSetting(key, value);
        }

        return builder;
    }

    /// <summary>The same, as environment variables for a node in a process of its own.</summary>
    public static IEnumerable<KeyValuePair<string, string>> AsEnvironment() =>
        Settings(Shared.Value).Select(s => KeyValuePair.Create(s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value));
}
