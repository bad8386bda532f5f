# syntax=docker/dockerfile:1
#
# JusticeTracker web app.
#
#   docker build -t justicetracker .
#   docker run --read-only --tmpfs /tmp -e JT_CONNECTION_STRING=... -e ASPNETCORE_ENVIRONMENT=... justicetracker
#   docker run ... justicetracker migrate        (the same image creates or updates the schema)
#
# The image runs as a non-root user on a read-only root filesystem: the only place it writes to
# is /tmp, which the platform mounts as a tmpfs (docker-compose.yml) or an emptyDir
# (infra/k8s). It needs PostgreSQL (JT_CONNECTION_STRING) and, outside Development, the
# AzureAd__* settings (docs/identity.md). See docs/operations.md.

# ---- build ------------------------------------------------------------------------------------
# The build stage runs on the builder's own platform: the output is framework-dependent IL, so a
# multi-platform build (docker buildx --platform linux/amd64,linux/arm64) compiles it once and
# does not emulate the SDK.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the files that decide the packages, so this layer stays cached until one
# of them changes. global.json asks for SDK 10.0.401 or a later feature band; the 10.0 tag is the
# newest 10.0 SDK. .editorconfig is here because the build enforces code style
# (EnforceCodeStyleInBuild) and its analyzers' severities come from it.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/JusticeTracker/JusticeTracker.csproj src/JusticeTracker/
RUN dotnet restore src/JusticeTracker/JusticeTracker.csproj

COPY src/ src/
# UseAppHost=false: the image starts the app with `dotnet JusticeTracker.dll`, so the native
# launcher is not needed.
RUN dotnet publish src/JusticeTracker/JusticeTracker.csproj -c Release -o /app --no-restore -p:UseAppHost=false

# ---- runtime ----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime

LABEL org.opencontainers.image.title="JusticeTracker" \
      org.opencontainers.image.description="Case tracker for child-rights lawyers (ASP.NET Core, Marten, Wolverine, PostgreSQL)"

# The charts of the country brief are drawn by Skia, which finds its fonts through fontconfig:
# the library and one font family, nothing else.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Files belong to root and are read-only for the app's user: the process cannot change its own code.
COPY --from=build /app ./

# Port 8080 serves the app and its probes (/health/live, /health/ready). Port 9090 serves only
# /metrics, the Prometheus scrape endpoint; the app answers 404 for /metrics on 8080 and for
# everything else on 9090 (Hosting/Telemetry.cs), so the Service that the ingress uses can leave
# 9090 out. Observability__MetricsPort is the setting the app reads (ObservabilityOptions).
# ASPNETCORE_HTTP_PORTS, which the base image sets to 8080, is cleared: with it set as well as
# ASPNETCORE_URLS, Kestrel logs an "Overriding HTTP_PORTS" warning at every start.
# The root filesystem is read-only; what the runtime writes (the diagnostics IPC socket that
# dotnet-counters and dotnet-dump attach to, temporary files) goes to the /tmp mount.
ENV ASPNETCORE_URLS="http://+:8080;http://+:9090" \
    ASPNETCORE_HTTP_PORTS="" \
    Observability__MetricsPort=9090 \
    OTEL_SERVICE_NAME=justicetracker \
    TMPDIR=/tmp

EXPOSE 8080 9090

# 1654 is the "app" user and group of the .NET images ($APP_UID). Numeric, so that Kubernetes
# can check runAsNonRoot without reading /etc/passwd.
USER 1654:1654

# The runtime image has no curl or wget: the app's own `probe` command asks /health/live and
# exits 0 or 1, without building the web host (Hosting/Probe.cs). Kubernetes ignores
# HEALTHCHECK and uses the Deployment's probes instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/JusticeTracker.dll", "probe", "http://127.0.0.1:8080/health/live"]

# Arguments after the image name are JasperFx commands: `migrate`, `db-assert`,
# `projections rebuild -p Statistics`, ... (docs/operations.md).
ENTRYPOINT ["dotnet", "JusticeTracker.dll"]
