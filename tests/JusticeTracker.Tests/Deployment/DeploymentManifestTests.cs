using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace JusticeTracker.Tests.Deployment;

/// <summary>
/// The deployment files as rules. The Dockerfile, docker-compose.yml and the Kubernetes manifests
/// under infra/k8s are parsed (no Docker, no cluster, no database) and checked for what
/// docs/operations.md promises: a non-root image with a health check, hardened containers with
/// probes and limits, at least two replicas, the migration before the rollout, and no secret in
/// the repository. Every failure names the file and the rule.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private const string AppDll = "JusticeTracker.dll";

    /// <summary>The local-development database password; allowed only as a default value, never as a real secret.</summary>
    private const string LocalDevelopmentPassword = "justicetracker";

    private static readonly string Root = FindRoot();

    private static readonly string K8s = Path.Combine(Root, "infra", "k8s");

    private static readonly string Base = Path.Combine(K8s, "base");

    private static readonly string Production = Path.Combine(K8s, "overlays", "production");

    // ---- Dockerfile ---------------------------------------------------------------------------

    [Fact]
    public void the_dockerfile_builds_in_stages_and_runs_as_a_non_root_user_with_a_health_check()
    {
        var instructions = Dockerfile();
        var stages = instructions.Count(i => i.Name == "FROM");
        Assert.True(stages >= 2, $"Dockerfile: needs a build stage and a runtime stage (at least two FROM), found {stages}.");

        var final = FinalStage(instructions);
        var user = final.LastOrDefault(i => i.Name == "USER");
        Assert.True(user is not null, "Dockerfile: the final stage sets no USER, so the app would run as root.");
        var uid = user.Arguments.Split(':')[0].Trim();
        Assert.True(uid is not ("root" or "0"), $"Dockerfile line {user.Line}: the final stage runs as root (USER {user.Arguments}).");
        Assert.True(
            uid.All(char.IsAsciiDigit),
            $"Dockerfile line {user.Line}: USER {user.Arguments} should be a numeric uid, so that Kubernetes can verify runAsNonRoot without /etc/passwd.");

        var healthCheck = final.LastOrDefault(i => i.Name == "HEALTHCHECK");
        Assert.True(healthCheck is not null, "Dockerfile: the final stage has no HEALTHCHECK.");
        Assert.False(healthCheck.Arguments.Trim().Equals("NONE", StringComparison.OrdinalIgnoreCase), $"Dockerfile line {healthCheck.Line}: HEALTHCHECK NONE switches the health check off.");
        Assert.True(
            healthCheck.Arguments.Contains(AppDll, StringComparison.Ordinal) && healthCheck.Arguments.Contains("probe", StringComparison.Ordinal),
            $"Dockerfile line {healthCheck.Line}: the runtime image has no curl or wget; the HEALTHCHECK must use the app's own probe command.");

        var entrypoint = final.LastOrDefault(i => i.Name == "ENTRYPOINT");
        Assert.True(entrypoint is not null, "Dockerfile: the final stage has no ENTRYPOINT.");
        Assert.True(JsonArgs(entrypoint, "ENTRYPOINT").Contains(AppDll), $"Dockerfile line {entrypoint.Line}: the ENTRYPOINT does not run {AppDll}.");
    }

    [Fact]
    public void the_dockerfile_exposes_the_app_port_and_the_metrics_port_the_app_reads()
    {
        var final = FinalStage(Dockerfile());
        var exposed = final.Where(i => i.Name == "EXPOSE")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => p.Split('/')[0])
            .ToList();
        Assert.True(exposed.Contains("8080"), $"Dockerfile: EXPOSE 8080 is missing (exposed: {string.Join(", ", exposed)}).");

        var env = final.Where(i => i.Name == "ENV").SelectMany(i => EnvPairs(i.Arguments)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.True(env.TryGetValue("Observability__MetricsPort", out var metricsPort), "Dockerfile: ENV Observability__MetricsPort is not set, so the app serves no /metrics.");
        Assert.True(env.TryGetValue("ASPNETCORE_URLS", out var urls), "Dockerfile: ENV ASPNETCORE_URLS is not set.");
        foreach (var port in new[] { "8080", metricsPort })
        {
            Assert.True(urls.Contains($":{port}", StringComparison.Ordinal), $"Dockerfile: ASPNETCORE_URLS ({urls}) does not listen on port {port}.");
        }

        Assert.True(exposed.Contains(metricsPort), $"Dockerfile: the metrics port {metricsPort} is not in EXPOSE.");
    }

    // ---- docker-compose.yml -------------------------------------------------------------------

    [Fact]
    public void compose_runs_postgres_with_a_volume_and_a_health_check()
    {
        var services = ComposeServices();
        var db = services.Where(s => Str(s.Value, "image")?.StartsWith("postgres", StringComparison.Ordinal) == true).ToList();
        Assert.True(db.Count == 1, $"docker-compose.yml: expected one PostgreSQL service (image postgres:...), found {db.Count}.");
        var (name, service) = db[0];
        Assert.True(Seq(service, "volumes").Count > 0, $"docker-compose.yml: service {name} keeps its data in no volume.");
        Assert.True(HealthCheckEnabled(service), $"docker-compose.yml: service {name} has no health check, so the app cannot wait for it (service_healthy).");
    }

    [Fact]
    public void compose_runs_two_hardened_app_nodes_from_one_image_after_the_migration()
    {
        var services = ComposeServices();
        var (migrateName, migrate) = ComposeMigration(services);
        var image = Str(migrate, "image");
        Assert.True(image is not null, $"docker-compose.yml: service {migrateName} has no image name for the app nodes to share.");
        var db = services.Single(s => Str(s.Value, "image")?.StartsWith("postgres", StringComparison.Ordinal) == true).Key;

        var nodes = services.Where(s => s.Key != migrateName && Str(s.Value, "image") == image).ToList();
        Assert.True(nodes.Count == 2, $"docker-compose.yml: expected exactly two app nodes with image {image}, found {nodes.Count} ({string.Join(", ", nodes.Select(n => n.Key))}).");

        var failures = new List<string>();
        foreach (var (name, node) in nodes)
        {
            var where = $"docker-compose.yml, service {name}";
            Check(failures, HealthCheckEnabled(node), where, "has no health check");
            Check(failures, Str(node, "read_only") == "true", where, "needs read_only: true");
            Check(failures, Tmpfs(node).Any(t => t == "/tmp" || t.StartsWith("/tmp:", StringComparison.Ordinal)), where, "needs a tmpfs at /tmp (the only writable place)");
            Check(failures, Str(node, "depends_on", db, "condition") == "service_healthy", where, $"must depend on {db} with condition service_healthy");
            Check(failures, Str(node, "depends_on", migrateName, "condition") == "service_completed_successfully", where, $"must depend on {migrateName} with condition service_completed_successfully");
            Check(failures, ComposeEnvironment(node).ContainsKey("JT_CONNECTION_STRING"), where, "is not configured from the environment (JT_CONNECTION_STRING is missing)");
            Check(failures, IsNonRootUser(Str(node, "user")), where, $"must run as a non-root user (user: {Str(node, "user") ?? "unset"})");
            Check(failures, Seq(node, "cap_drop").Select(c => Str(c)).Contains("ALL"), where, "must drop all capabilities (cap_drop: [ALL])");
            Check(failures, Seq(node, "security_opt").Select(c => Str(c)).Contains("no-new-privileges:true"), where, "needs security_opt no-new-privileges:true");
            Check(failures, Seq(node, "ports").Select(p => Str(p) ?? string.Empty).Any(p => p.EndsWith(":8080", StringComparison.Ordinal)), where, "publishes no host port for the app's port 8080");
        }

        AssertNone(failures);
    }

    [Fact]
    public void compose_migrates_with_the_app_image_before_the_nodes_start()
    {
        var services = ComposeServices();
        var (name, migrate) = ComposeMigration(services);
        var where = $"docker-compose.yml, service {name}";
        var failures = new List<string>();
        var image = Str(migrate, "image");
        Check(failures, Map(migrate, "build") is not null || services.Any(s => Str(s.Value, "image") == image && Map(s.Value, "build") is not null), where, "uses an image that no service builds from the Dockerfile");
        Check(failures, Str(migrate, "restart") is null or "no", where, "must not restart (restart: \"no\"): it runs once");
        Check(failures, Str(migrate, "depends_on", "db", "condition") == "service_healthy", where, "must wait for the database (depends_on db: service_healthy)");
        Check(failures, ComposeEnvironment(migrate).ContainsKey("JT_CONNECTION_STRING"), where, "has no JT_CONNECTION_STRING");
        Check(failures, Str(migrate, "read_only") == "true" && IsNonRootUser(Str(migrate, "user")), where, "must run as a non-root user on a read-only root filesystem like the app nodes");
        AssertNone(failures);
    }

    // ---- Kubernetes -----------------------------------------------------------------------------

    public static TheoryData<string> KubernetesYamlFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(K8s, "*.*", SearchOption.AllDirectories).Where(IsYaml).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KubernetesYamlFiles))]
    public void every_yaml_file_under_infra_k8s_parses(string file)
    {
        try
        {
            var documents = Documents(Path.Combine(Root, file));
            Assert.True(documents.Count > 0, $"{file}: holds no YAML document.");
        }
        catch (YamlException e)
        {
            Assert.Fail($"{file}: is not valid YAML: {e.Message}");
        }
    }

    [Fact]
    public void kustomizations_reference_only_files_that_exist()
    {
        var kustomizations = Directory.EnumerateFiles(K8s, "kustomization.yaml", SearchOption.AllDirectories).ToList();
        Assert.True(kustomizations.Count >= 2, "infra/k8s: expected a base and a production overlay kustomization.yaml.");
        Assert.True(File.Exists(Path.Combine(Base, "kustomization.yaml")), "infra/k8s/base/kustomization.yaml is missing.");
        Assert.True(File.Exists(Path.Combine(Production, "kustomization.yaml")), "infra/k8s/overlays/production/kustomization.yaml is missing.");

        var failures = new List<string>();
        foreach (var file in kustomizations)
        {
            var directory = Path.GetDirectoryName(file)!;
            var where = Relative(file);
            var kustomization = LoadYaml(file).Single();
            foreach (var entry in Seq(kustomization, "resources").Concat(Seq(kustomization, "components")).Select(e => Str(e)!))
            {
                var path = Path.Combine(directory, entry);
                Check(failures, File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml")), where, $"lists resource {entry}, which is neither a file nor a folder with a kustomization.yaml");
            }

            var referenced = Seq(kustomization, "patches").Select(p => Str(p, "path")).OfType<string>()
                .Concat(Seq(kustomization, "patchesStrategicMerge").Select(p => Str(p)).OfType<string>())
                .Concat(Seq(kustomization, "configMapGenerator").SelectMany(g => Seq(g, "envs").Concat(Seq(g, "files"))).Select(f => Str(f)).OfType<string>())
                .Select(f => f.Contains('=', StringComparison.Ordinal) ? f[(f.IndexOf('=', StringComparison.Ordinal) + 1)..] : f);
            foreach (var entry in referenced)
            {
                Check(failures, File.Exists(Path.Combine(directory, entry)), where, $"refers to {entry}, which does not exist");
            }
        }

        AssertNone(failures);
    }

    [Fact]
    public void every_deployment_keeps_two_replicas_with_probes_limits_and_a_locked_down_container()
    {
        var deployments = Rendered().Where(m => m.Kind == "Deployment").ToList();
        Assert.True(deployments.Count > 0, "infra/k8s: the production overlay renders no Deployment.");
        var failures = new List<string>();
        foreach (var deployment in deployments)
        {
            var where = $"{deployment.File}, Deployment {deployment.Name}";
            var replicas = ReplicasAfterOverlay(deployment);
            Check(failures, replicas >= 2, where, $"runs {replicas?.ToString(CultureInfo.InvariantCulture) ?? "the default of 1"} replica(s) after the overlay's replicas field; at least 2 are needed");
            Check(failures, Str(deployment.Body, "spec", "strategy", "rollingUpdate", "maxUnavailable") == "0", where, "must not take a pod away before a new one is ready (strategy.rollingUpdate.maxUnavailable: 0)");
            var pod = Map(deployment.Body, "spec", "template", "spec");
            CheckPod(failures, where, pod, probes: true);
        }

        AssertNone(failures);
    }

    [Fact]
    public void the_cluster_objects_for_availability_routing_and_isolation_exist()
    {
        var rendered = Rendered();
        var failures = new List<string>();
        foreach (var kind in new[] { "PodDisruptionBudget", "Service", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "ServiceAccount" })
        {
            Check(failures, rendered.Any(m => m.Kind == kind), "infra/k8s/overlays/production", $"renders no {kind}");
        }

        foreach (var ingress in rendered.Where(m => m.Kind == "Ingress"))
        {
            var tls = Seq(ingress.Body, "spec", "tls");
            Check(
                failures,
                tls.Count > 0 && tls.All(t => Str(t, "secretName") is not null && Seq(t, "hosts").Count > 0),
                $"{ingress.File}, Ingress {ingress.Name}",
                "needs a tls section with hosts and a secretName");
        }

        foreach (var hpa in rendered.Where(m => m.Kind == "HorizontalPodAutoscaler"))
        {
            var min = Int(Patched(hpa, "spec", "minReplicas"));
            Check(failures, min >= 2, $"{hpa.File}, HorizontalPodAutoscaler {hpa.Name}", $"minReplicas is {min?.ToString(CultureInfo.InvariantCulture) ?? "unset (1)"} after the overlay's patches; at least 2 are needed");
        }

        foreach (var policy in rendered.Where(m => m.Kind == "NetworkPolicy"))
        {
            Check(failures, Seq(policy.Body, "spec", "policyTypes").Count > 0, $"{policy.File}, NetworkPolicy {policy.Name}", "names no policyTypes");
        }

        Check(
            failures,
            rendered.Any(m => m.Kind == "NetworkPolicy" && Seq(m.Body, "spec", "policyTypes").Count == 2 && Seq(m.Body, "spec", "ingress").Count == 0 && Seq(m.Body, "spec", "egress").Count == 0),
            "infra/k8s",
            "has no default-deny NetworkPolicy (both policy types, no rules) for the app's pods");
        AssertNone(failures);
    }

    [Fact]
    public void a_job_runs_the_migrate_command_with_the_apps_image_and_hardening()
    {
        var rendered = Rendered();
        var jobs = rendered.Where(m => m.Kind == "Job" && Containers(Map(m.Body, "spec", "template", "spec")).Any(RunsMigrate)).ToList();
        Assert.True(jobs.Count == 1, $"infra/k8s: expected one Job that runs `dotnet {AppDll} migrate`, found {jobs.Count}.");
        var job = jobs[0];
        var where = $"{job.File}, Job {job.Name}";
        var failures = new List<string>();
        var pod = Map(job.Body, "spec", "template", "spec");
        CheckPod(failures, where, pod, probes: false);

        var appImages = rendered.Where(m => m.Kind == "Deployment").SelectMany(d => Containers(Map(d.Body, "spec", "template", "spec"))).Select(c => Str(c, "image")).ToHashSet(StringComparer.Ordinal);
        Check(failures, Containers(pod).All(c => appImages.Contains(Str(c, "image"))), where, "must run the same image as the Deployment");
        Check(failures, Int(Str(job.Body, "spec", "backoffLimit")) is >= 0 and <= 5, where, "needs a small backoffLimit (0 to 5)");
        Check(failures, Str(job.Body, "spec", "ttlSecondsAfterFinished") is not null, where, "needs ttlSecondsAfterFinished, so finished runs are cleaned up");
        Check(failures, Str(pod, "restartPolicy") is "Never" or "OnFailure", where, "needs restartPolicy Never or OnFailure");
        Check(
            failures,
            Containers(pod).All(c => Map(c, "livenessProbe") is null && Map(c, "readinessProbe") is null && Map(c, "startupProbe") is null),
            where,
            "has probes, but the migrate command serves no HTTP endpoint to probe");
        Check(failures, Str(job.Body, "metadata", "annotations", "argocd.argoproj.io/hook") is not null, where, "is not an Argo CD hook, so Argo CD would not run it before the Deployment changes");
        AssertNone(failures);
    }

    [Fact]
    public void no_manifest_commits_a_secret()
    {
        var failures = new List<string>();
        foreach (var file in Directory.EnumerateFiles(K8s, "*.*", SearchOption.AllDirectories).Where(IsYaml))
        {
            foreach (var document in LoadYaml(file))
            {
                if (Str(document, "kind") == "Secret")
                {
                    Check(failures, Map(document, "data") is null && Map(document, "stringData") is null, Relative(file), $"holds a Secret ({Str(document, "metadata", "name")}) with data or stringData; secrets come from the vault through an ExternalSecret");
                }

                if (Str(document, "kind") == "Kustomization")
                {
                    Check(failures, Seq(document, "secretGenerator").Count == 0, Relative(file), "generates a Secret (secretGenerator) from files in the repository; secrets come from the vault through an ExternalSecret");
                }
            }
        }

        AssertNone(failures);
    }

    [Fact]
    public void every_secret_the_pods_read_is_produced_by_an_external_secret_of_the_overlay()
    {
        var rendered = Rendered();
        var produced = rendered
            .Where(m => m.Kind == "ExternalSecret" && m.File.StartsWith("infra/k8s/overlays/", StringComparison.Ordinal))
            .Select(m => Str(m.Body, "spec", "target", "name") ?? m.Name)
            .ToHashSet(StringComparer.Ordinal);
        var failures = new List<string>();
        var references = 0;
        foreach (var workload in rendered.Where(m => m.Kind is "Deployment" or "Job"))
        {
            var pod = Map(workload.Body, "spec", "template", "spec");
            var names = Containers(pod).SelectMany(c => Seq(c, "env").Select(e => Str(e, "valueFrom", "secretKeyRef", "name")).Concat(Seq(c, "envFrom").Select(e => Str(e, "secretRef", "name"))))
                .Concat(Seq(pod, "volumes").Select(v => Str(v, "secret", "secretName")))
                .OfType<string>();
            foreach (var name in names)
            {
                references++;
                Check(failures, produced.Contains(name), $"{workload.File}, {workload.Kind} {workload.Name}", $"reads Secret {name}, which no ExternalSecret of the overlay produces (produced: {string.Join(", ", produced)})");
            }
        }

        Assert.True(references > 0, "infra/k8s: no workload reads a secret (secretKeyRef); where do JT_CONNECTION_STRING and AzureAd__ClientSecret come from?");
        AssertNone(failures);
    }

    /// <summary>Outside Development the app does not start without the certificate that encrypts its Data Protection keys.</summary>
    [Fact]
    public void the_web_pods_read_the_key_certificate_from_a_secret_mounted_read_only_and_the_migration_does_not()
    {
        const string Secret = "justicetracker-data-protection";
        var rendered = Rendered();
        var failures = new List<string>();
        foreach (var deployment in rendered.Where(m => m.Kind == "Deployment"))
        {
            var pod = Map(deployment.Body, "spec", "template", "spec");
            var volume = Seq(pod, "volumes").Select(v => Map(v)).FirstOrDefault(v => Str(v, "secret", "secretName") == Secret);
            var where = $"{deployment.File}, Deployment {deployment.Name}";
            Check(failures, volume is not null, where, $"mounts no volume from the Secret {Secret}");
            foreach (var container in Containers(pod))
            {
                var at = $"{where}, container {Str(container, "name")}";
                var mount = Seq(container, "volumeMounts").Select(m => Map(m)).FirstOrDefault(m => volume is not null && Str(m, "name") == Str(volume, "name"));
                Check(failures, mount is not null && Str(mount, "readOnly") == "true", at, $"must mount the Secret {Secret} read-only");
                var env = Seq(container, "env").ToDictionary(e => Str(e, "name")!, e => Str(e, "value"), StringComparer.Ordinal);
                foreach (var setting in new[] { "DataProtection__CertificatePath", "DataProtection__KeyPath" })
                {
                    Check(
                        failures,
                        mount is not null && env.GetValueOrDefault(setting) is { } path && path.StartsWith(Str(mount, "mountPath") + "/", StringComparison.Ordinal),
                        at,
                        $"must set {setting} to a file of the mounted Secret {Secret}");
                }
            }
        }

        Check(
            failures,
            rendered.Any(m => m.Kind == "ExternalSecret" && Str(m.Body, "spec", "target", "name") == Secret && Str(m.Body, "spec", "target", "template", "type") == "kubernetes.io/tls"),
            "infra/k8s/overlays/production",
            $"has no ExternalSecret that makes the kubernetes.io/tls Secret {Secret}");
        foreach (var job in rendered.Where(m => m.Kind == "Job"))
        {
            Check(failures, Seq(Map(job.Body, "spec", "template", "spec"), "volumes").All(v => Str(v, "secret", "secretName") != Secret), $"{job.File}, Job {job.Name}", $"mounts {Secret}, which the migration never needs");
        }

        AssertNone(failures);
    }

    [Fact]
    public void the_production_deployment_runs_in_production_with_a_pinned_image()
    {
        var failures = new List<string>();
        foreach (var deployment in Rendered().Where(m => m.Kind == "Deployment"))
        {
            foreach (var container in Containers(Map(deployment.Body, "spec", "template", "spec")))
            {
                var where = $"{deployment.File}, Deployment {deployment.Name}, container {Str(container, "name")}";
                var env = Seq(container, "env").ToDictionary(e => Str(e, "name")!, e => Str(e, "value"), StringComparer.Ordinal);
                Check(failures, env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") == "Production", where, "must set ASPNETCORE_ENVIRONMENT=Production (no demo sign-in, no schema changes at start)");
                Check(failures, env.ContainsKey("JT_CONNECTION_STRING") && env["JT_CONNECTION_STRING"] is null, where, "must read JT_CONNECTION_STRING from a Secret (valueFrom), never from a literal value");
                var metricsPort = Seq(container, "ports").FirstOrDefault(p => Str(p, "name") == "metrics") is { } port ? Str(port, "containerPort") : null;
                Check(
                    failures,
                    metricsPort is not null && env.GetValueOrDefault("Observability__MetricsPort") == metricsPort && env.GetValueOrDefault("ASPNETCORE_URLS")?.Contains($":{metricsPort}", StringComparison.Ordinal) == true,
                    where,
                    "must listen on its metrics port (the containerPort named metrics, in ASPNETCORE_URLS) and tell the app which it is (Observability__MetricsPort)");
            }
        }

        var overlay = LoadYaml(Path.Combine(Production, "kustomization.yaml")).Single();
        Check(failures, Str(overlay, "namespace") is not null, Relative(Path.Combine(Production, "kustomization.yaml")), "sets no namespace");
        var images = Seq(overlay, "images");
        Check(
            failures,
            images.Count > 0 && images.All(i => Str(i, "digest") is not null || Str(i, "newTag") is { Length: > 0 } tag && tag != "latest"),
            Relative(Path.Combine(Production, "kustomization.yaml")),
            "must pin the image (images: with a newTag other than latest, or a digest)");
        AssertNone(failures);
    }

    [Fact]
    public void the_service_behind_the_ingress_does_not_expose_the_metrics_port()
    {
        var rendered = Rendered();
        var backends = rendered.Where(m => m.Kind == "Ingress")
            .SelectMany(i => Seq(i.Body, "spec", "rules"))
            .SelectMany(r => Seq(r, "http", "paths"))
            .Select(p => Str(p, "backend", "service", "name"))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(backends.Count > 0, "infra/k8s: the Ingress sends traffic to no Service.");
        var failures = new List<string>();
        foreach (var service in rendered.Where(m => m.Kind == "Service" && backends.Contains(m.Name)))
        {
            foreach (var port in Seq(service.Body, "spec", "ports"))
            {
                var values = new[] { Str(port, "port"), Str(port, "targetPort"), Str(port, "name") };
                Check(failures, !values.Contains("9090") && !values.Contains("metrics"), $"{service.File}, Service {service.Name}", "exposes the metrics port to the Ingress; /metrics belongs to Prometheus only");
            }
        }

        AssertNone(failures);
    }

    // ---- Secrets ------------------------------------------------------------------------------

    [Fact]
    public void no_file_under_infra_or_the_compose_file_holds_a_real_secret()
    {
        var files = Directory.EnumerateFiles(Path.Combine(Root, "infra"), "*", SearchOption.AllDirectories)
            .Append(Path.Combine(Root, "docker-compose.yml"))
            .Append(Path.Combine(Root, "Dockerfile"))
            .Order(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                continue;
            }

            failures.AddRange(SecretsIn(Relative(file), text));
        }

        AssertNone(failures);
    }

    /// <summary>
    /// What looks like a real secret: a PEM block, an Azure storage or Service Bus key, a password
    /// in a connection string, or a password/secret/token setting with a literal value. Allowed:
    /// empty values, variables (<c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-}</c>, and the local
    /// development default <c>${VAR:-justicetracker}</c>), and placeholders (<c>&lt;...&gt;</c>,
    /// <c>...</c>, <c>%s</c>).
    /// </summary>
    internal static IEnumerable<string> SecretsIn(string file, string text)
    {
        var lines = text.Split('\n');
        var extension = Path.GetExtension(file);
        var settingsFile = IsYaml(file) || extension is ".env" or ".json" || file.EndsWith("docker-compose.yml", StringComparison.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var where = $"{file}:{i + 1}";
            if (line.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                yield return $"{where}: a PEM block (private key or certificate); keep it in the vault";
            }

            foreach (Match match in StorageKey().Matches(line))
            {
                if (!IsPlaceholder(match.Groups["value"].Value, shellScript: false))
                {
                    yield return $"{where}: {match.Groups["key"].Value}= with a value looks like a real storage or messaging key";
                }
            }

            foreach (Match match in ConnectionStringPassword().Matches(line))
            {
                if (!IsPlaceholder(match.Groups["value"].Value, shellScript: false))
                {
                    // The value itself stays out of the message: test output ends up in CI logs.
                    yield return $"{where}: {match.Groups["key"].Value}= has a literal password; use a variable, ${{VAR:-{LocalDevelopmentPassword}}} for the local default, or a <placeholder>";
                }
            }

            var setting = extension == ".sh" || settingsFile ? SecretSetting().Match(line) : Match.Empty;
            if (setting.Success && !line.TrimStart().StartsWith('#'))
            {
                var value = setting.Groups["value"].Value.Trim().TrimEnd(',').Trim().Trim('"', '\'');
                if (!IsPlaceholder(value, shellScript: extension == ".sh"))
                {
                    yield return $"{where}: {setting.Groups["key"].Value} has a literal value; secrets come from the vault or from variables";
                }
            }
        }
    }

    private static bool IsPlaceholder(string value, bool shellScript)
    {
        value = value.Trim();
        if (value.Length == 0 || value is "true" or "false" or "[]" or "{}" or "..." || value.All(char.IsAsciiDigit)
            || value.StartsWith('<') || value.StartsWith("%s", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal))
        {
            return true;
        }

        // In a shell script a variable may hold the local development cluster's default.
        if (shellScript && value == LocalDevelopmentPassword)
        {
            return true;
        }

        var variable = VariableReference().Match(value);
        if (variable.Success)
        {
            return !variable.Groups["default"].Success || variable.Groups["default"].Value is "" or LocalDevelopmentPassword;
        }

        return value.StartsWith('$');
    }

    [GeneratedRegex(@"(?<key>AccountKey|SharedAccessKey|SharedAccessSignature)\s*=\s*(?<value>[^;""'\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex StorageKey();

    // Not preceded by a letter, digit or underscore, so APP_PASSWORD=... and PGPASSWORD=... (shell
    // variables) are judged by SecretSetting instead.
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<key>password|pwd)\s*=\s*(?<value>[^;""'\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    // A setting whose name ends in password, secret, token or key-like words: KEY: value, KEY=value, "key": value.
    [GeneratedRegex(@"^\s*(?:-\s*)?(?:export\s+)?[""']?(?<key>[A-Za-z0-9_.\-]*(?:password|passwd|secret|token|apikey|api_key|accountkey))[""']?\s*[:=]\s*(?<value>[^#]*)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretSetting();

    [GeneratedRegex(@"^\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}$")]
    private static partial Regex VariableReference();

    // ---- Checks shared by the workloads ---------------------------------------------------------

    private static void CheckPod(List<string> failures, string where, Dictionary<string, object?>? pod, bool probes)
    {
        Check(failures, pod is not null, where, "has no pod template");
        var podRunsAsNonRoot = Str(pod, "securityContext", "runAsNonRoot") == "true";
        Check(failures, Str(pod, "securityContext", "runAsUser") != "0", where, "runs the pod as uid 0");
        var containers = Containers(pod);
        Check(failures, containers.Count > 0, where, "has no containers");
        foreach (var container in containers)
        {
            var at = $"{where}, container {Str(container, "name")}";
            if (probes)
            {
                Check(failures, Map(container, "livenessProbe") is not null, at, "has no livenessProbe");
                Check(failures, Map(container, "readinessProbe") is not null, at, "has no readinessProbe");
            }

            foreach (var bound in new[] { "requests", "limits" })
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Check(failures, Str(container, "resources", bound, resource) is not null, at, $"sets no resources.{bound}.{resource}");
                }
            }

            Check(failures, Str(container, "securityContext", "readOnlyRootFilesystem") == "true", at, "needs securityContext.readOnlyRootFilesystem: true");
            Check(failures, Str(container, "securityContext", "allowPrivilegeEscalation") == "false", at, "needs securityContext.allowPrivilegeEscalation: false");
            Check(failures, Str(container, "securityContext", "runAsNonRoot") == "true" || (podRunsAsNonRoot && Str(container, "securityContext", "runAsNonRoot") is null), at, "needs runAsNonRoot: true");
            Check(failures, Str(container, "securityContext", "privileged") != "true", at, "must not be privileged");
            Check(failures, Seq(container, "securityContext", "capabilities", "drop").Select(c => Str(c)).Contains("ALL"), at, "must drop all capabilities (capabilities.drop: [ALL])");
            Check(failures, Seq(container, "volumeMounts").Any(m => Str(m, "mountPath") == "/tmp"), at, "mounts nothing writable at /tmp (the root filesystem is read-only)");
        }
    }

    private static bool RunsMigrate(Dictionary<string, object?> container)
    {
        var command = Seq(container, "command").Concat(Seq(container, "args")).Select(c => Str(c)).ToList();
        return command.Contains(AppDll) && command.LastOrDefault() == "migrate";
    }

    private static List<Dictionary<string, object?>> Containers(Dictionary<string, object?>? pod) =>
        Seq(pod, "containers").Concat(Seq(pod, "initContainers")).Select(c => Map(c)).OfType<Dictionary<string, object?>>().ToList();

    private static void Check(List<string> failures, bool condition, string where, string rule)
    {
        if (!condition)
        {
            failures.Add($"{where}: {rule}");
        }
    }

    private static void AssertNone(List<string> failures) =>
        Assert.True(failures.Count == 0, $"{failures.Count} rule(s) broken:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");

    // ---- Kustomize: what the production overlay renders, without kustomize ----------------------

    private sealed record Manifest(string File, Dictionary<string, object?> Body)
    {
        public string? Kind => Str(Body, "kind");

        public string Name => Str(Body, "metadata", "name") ?? "(unnamed)";
    }

    /// <summary>Every object the production overlay renders (its resources and its base's, recursively), before patches.</summary>
    private static List<Manifest> Rendered() => Resources(Production);

    private static List<Manifest> Resources(string directory)
    {
        var kustomization = LoadYaml(Path.Combine(directory, "kustomization.yaml")).Single();
        var manifests = new List<Manifest>();
        foreach (var entry in Seq(kustomization, "resources").Select(e => Str(e)!))
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{Relative(Path.Combine(directory, "kustomization.yaml"))}: lists resource {entry}, which does not exist.");
            manifests.AddRange(Directory.Exists(path)
                ? Resources(path)
                : LoadYaml(path).Select(d => new Manifest(Relative(path), d)));
        }

        return manifests;
    }

    /// <summary>The kustomizations from the production overlay down to the base, the overlay first: its settings win.</summary>
    private static IEnumerable<(string Directory, Dictionary<string, object?> Kustomization)> Layers(string directory)
    {
        var kustomization = LoadYaml(Path.Combine(directory, "kustomization.yaml")).Single();
        yield return (directory, kustomization);
        foreach (var entry in Seq(kustomization, "resources").Select(e => Str(e)!))
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry));
            if (Directory.Exists(path))
            {
                foreach (var layer in Layers(path))
                {
                    yield return layer;
                }
            }
        }
    }

    /// <summary>The replica count after the nearest kustomization's <c>replicas:</c> field, else the manifest's own.</summary>
    private static int? ReplicasAfterOverlay(Manifest deployment)
    {
        foreach (var (_, kustomization) in Layers(Production))
        {
            var count = Seq(kustomization, "replicas").FirstOrDefault(r => Str(r, "name") == deployment.Name);
            if (count is not null)
            {
                return Int(Str(count, "count"));
            }
        }

        return Int(Str(deployment.Body, "spec", "replicas"));
    }

    /// <summary>A field after the overlays' strategic-merge patches of the same object (the nearest layer wins), else the manifest's own.</summary>
    private static string? Patched(Manifest manifest, params string[] path)
    {
        foreach (var (directory, kustomization) in Layers(Production))
        {
            var patchFiles = Seq(kustomization, "patches").Select(p => Str(p, "path")).Concat(Seq(kustomization, "patchesStrategicMerge").Select(p => Str(p))).OfType<string>();
            foreach (var patch in patchFiles.SelectMany(f => LoadYaml(Path.Combine(directory, f))))
            {
                if (Str(patch, "kind") == manifest.Kind && Str(patch, "metadata", "name") == manifest.Name && Str(patch, path) is { } value)
                {
                    return value;
                }
            }
        }

        return Str(manifest.Body, path);
    }

    // ---- docker-compose.yml -------------------------------------------------------------------

    private static Dictionary<string, Dictionary<string, object?>> ComposeServices()
    {
        var compose = LoadYaml(Path.Combine(Root, "docker-compose.yml")).Single();
        var services = Map(compose, "services");
        Assert.True(services is not null, "docker-compose.yml: has no services.");
        return services.ToDictionary(s => s.Key, s => Map(s.Value) ?? new Dictionary<string, object?>(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    private static (string Name, Dictionary<string, object?> Service) ComposeMigration(Dictionary<string, Dictionary<string, object?>> services)
    {
        var migrations = services.Where(s =>
        {
            var command = Seq(s.Value, "entrypoint").Concat(Seq(s.Value, "command")).Select(c => Str(c)).ToList();
            return command.LastOrDefault() == "migrate";
        }).ToList();
        Assert.True(migrations.Count == 1, $"docker-compose.yml: expected one service that runs the migrate command, found {migrations.Count}.");
        return (migrations[0].Key, migrations[0].Value);
    }

    private static bool HealthCheckEnabled(Dictionary<string, object?> service)
    {
        var test = Seq(service, "healthcheck", "test").Select(t => Str(t)).ToList();
        if (test.Count == 0 && Str(service, "healthcheck", "test") is { Length: > 0 } shell)
        {
            test.Add(shell);
        }

        return Str(service, "healthcheck", "disable") != "true" && test.Count > 0 && test[0] != "NONE";
    }

    private static List<string> Tmpfs(Dictionary<string, object?> service) =>
        Str(service, "tmpfs") is { } single ? [single] : Seq(service, "tmpfs").Select(t => Str(t)).OfType<string>().ToList();

    private static Dictionary<string, string?> ComposeEnvironment(Dictionary<string, object?> service)
    {
        if (Map(service, "environment") is { } map)
        {
            return map.ToDictionary(p => p.Key, p => Str(p.Value), StringComparer.Ordinal);
        }

        return Seq(service, "environment").Select(e => Str(e) ?? string.Empty)
            .ToDictionary(e => e.Split('=')[0], e => e.Contains('=', StringComparison.Ordinal) ? e[(e.IndexOf('=', StringComparison.Ordinal) + 1)..] : null, StringComparer.Ordinal);
    }

    private static bool IsNonRootUser(string? user) =>
        user is { Length: > 0 } && user.Split(':')[0] is not ("root" or "0");

    // ---- Dockerfile ---------------------------------------------------------------------------

    private sealed record Instruction(string Name, string Arguments, int Line);

    /// <summary>The Dockerfile's instructions, with continuation lines joined and comments dropped.</summary>
    private static List<Instruction> Dockerfile()
    {
        var instructions = new List<Instruction>();
        var current = string.Empty;
        var start = 0;
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (current.Length == 0)
            {
                start = i + 1;
            }

            if (line.EndsWith('\\'))
            {
                current += line[..^1] + " ";
                continue;
            }

            current += line;
            var space = current.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(space < 0
                ? new Instruction(current.ToUpperInvariant(), string.Empty, start)
                : new Instruction(current[..space].ToUpperInvariant(), current[(space + 1)..].Trim(), start));
            current = string.Empty;
        }

        return instructions;
    }

    private static List<Instruction> FinalStage(List<Instruction> instructions) =>
        instructions.Skip(instructions.FindLastIndex(i => i.Name == "FROM")).ToList();

    private static List<string> JsonArgs(Instruction instruction, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<List<string>>(instruction.Arguments) ?? [];
        }
        catch (JsonException)
        {
            Assert.Fail($"Dockerfile line {instruction.Line}: {what} should use the exec form, a JSON array (signals then reach the app, not a shell).");
            throw;
        }
    }

    private static IEnumerable<KeyValuePair<string, string>> EnvPairs(string arguments) =>
        EnvPair().Matches(arguments).Select(m => KeyValuePair.Create(m.Groups["key"].Value, m.Groups["value"].Value.Trim('"', '\'')));

    [GeneratedRegex(@"(?<key>[A-Za-z_][A-Za-z0-9_]*)=(?<value>""[^""]*""|'[^']*'|\S*)")]
    private static partial Regex EnvPair();

    // ---- YAML as plain values -----------------------------------------------------------------

    /// <summary>
    /// Every document of a YAML file (a file may hold several, separated by ---) as plain values:
    /// mappings become dictionaries, sequences lists, scalars strings. Aliases are resolved by
    /// YamlDotNet; merge keys (&lt;&lt;, which docker-compose.yml uses) are applied here, the
    /// mapping's own keys winning.
    /// </summary>
    private static List<object> Documents(string file)
    {
        using var reader = new StreamReader(file);
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Select(d => Plain(d.RootNode)).OfType<object>().ToList();
    }

    /// <summary>The documents that are mappings (Kubernetes objects, kustomizations, compose files); a JSON patch is a sequence.</summary>
    private static List<Dictionary<string, object?>> LoadYaml(string file) =>
        Documents(file).OfType<Dictionary<string, object?>>().ToList();

    private static object? Plain(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                var merged = new List<Dictionary<string, object?>>();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? string.Empty;
                    if (name == "<<")
                    {
                        var sources = value is YamlSequenceNode many ? many.Children.Select(Plain) : [Plain(value)];
                        merged.AddRange(sources.OfType<Dictionary<string, object?>>());
                        continue;
                    }

                    result[name] = Plain(value);
                }

                foreach (var (key, value) in merged.SelectMany(m => m))
                {
                    result.TryAdd(key, value);
                }

                return result;
            case YamlSequenceNode sequence:
                return sequence.Children.Select(Plain).ToList();
            case YamlScalarNode scalar:
                return scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" ? null : scalar.Value;
            default:
                return null;
        }
    }

    private static object? At(object? value, params string[] path)
    {
        foreach (var key in path)
        {
            if (value is not Dictionary<string, object?> map || !map.TryGetValue(key, out value))
            {
                return null;
            }
        }

        return value;
    }

    private static Dictionary<string, object?>? Map(object? value, params string[] path) => At(value, path) as Dictionary<string, object?>;

    private static List<object?> Seq(object? value, params string[] path) => At(value, path) as List<object?> ?? [];

    private static string? Str(object? value, params string[] path) => At(value, path) as string;

    private static int? Int(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    // ---- Files --------------------------------------------------------------------------------

    private static bool IsYaml(string file) => Path.GetExtension(file) is ".yaml" or ".yml";

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JusticeTracker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No JusticeTracker.sln above {AppContext.BaseDirectory}.");
    }
}
