using System.Globalization;
using System.Threading.RateLimiting;
using JusticeTracker.Access;
using Microsoft.AspNetCore.HttpOverrides;

namespace JusticeTracker.Hosting;

/// <summary>Deployment limits for request rates (section <c>RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Sign-in attempts per client address per minute.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary>API and page requests per signed-in user (or client address) per minute.</summary>
    public int RequestsPerMinute { get; set; } = 600;
}

/// <summary>
/// Browser and transport hardening applied to every response: a strict content security policy,
/// no caching of anything that may show case data, and rate limits answered with 429.
/// </summary>
public static class Security
{
    public const string SignInLimit = "sign-in";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();

        // Behind the ingress, the client's address and scheme arrive in X-Forwarded-For and
        // X-Forwarded-Proto. They are believed only from the proxies' own networks, one hop deep,
        // so a client cannot choose the address the rate limits and the audit log see.
        var proxies = builder.Configuration["ForwardedHeaders:KnownNetworks"]?.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries) ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = 1;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var network in proxies)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        builder.Services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                        statusCode: StatusCodes.Status429TooManyRequests,
                        title: "Too many requests.",
                        detail: "Please wait a moment and try again.")
                    .ExecuteAsync(context.HttpContext);
            };

            // Attempts are counted, not views: showing the demo sign-in page costs nothing, while
            // posting it, or leaving for Entra ID from /sign-in, is an attempt.
            options.AddPolicy(SignInLimit, context => HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/dev")
                ? RateLimitPartition.GetNoLimiter("views")
                : RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInPerMinute, Window = TimeSpan.FromMinutes(1) }));

            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.IsAuthenticated == true ? "user:" + CurrentUser.From(context.User).UserId : "ip:" + ClientAddress(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.RequestsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return builder;
    }

    /// <summary>
    /// Headers every response carries; dynamic responses are also never cached. They are written
    /// as the response starts, not as the request comes in: the exception handler clears every
    /// header before it answers an error, and a 500 needs them as much as a page does.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next();
        });
        return app;
    }

    /// <summary>
    /// A browser can be tricked into a cross-site form post, but never one with a JSON content type
    /// (that needs CORS, which the app does not grant). So the API refuses any other body to a request
    /// that rides on the session cookie; bearer-token calls are not at risk and are not checked.
    /// </summary>
    public static WebApplication UseJsonOnlyApi(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Path.StartsWithSegments("/api")
                && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
                && !request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                && request.HasJsonContentType() is false)
            {
                await Results.Problem(
                        statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Send JSON.",
                        detail: "The API accepts only application/json request bodies.")
                    .ExecuteAsync(context);
                return;
            }

            await next();
        });
        return app;
    }

    /// <summary>Placed after static files, so only pages and API answers, which may show case data, get it.</summary>
    public static WebApplication UseNoStore(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers.Pragma = "no-cache";
                return Task.CompletedTask;
            });
            await next();
        });
        return app;
    }

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
