# syntax=docker/dockerfile:1
# JusticeTracker web app. Build:  docker build -t justicetracker .
# The app needs PostgreSQL; set JT_CONNECTION_STRING (see docker-compose.yml).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the files that decide the packages, so this layer is cached
# until one of them changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/JusticeTracker/JusticeTracker.csproj src/JusticeTracker/
RUN dotnet restore src/JusticeTracker/JusticeTracker.csproj

COPY src/ src/
RUN dotnet publish src/JusticeTracker/JusticeTracker.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# Non-root user that ships with the .NET images.
USER $APP_UID
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "JusticeTracker.dll"]
