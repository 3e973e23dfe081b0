using System.Globalization;
using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Runtimes.Local;

namespace Portal.Runtimes.Tests.Local;

public sealed class LocalLaunchPlanTests
{
    private const int Port = 41234;
    private const string Simulator = "/srv/portal/Portal.Simulator.dll";
    private const string Dotnet = "/usr/share/dotnet/dotnet";
    private const string PlatformToken = "hf_platform_0d5e";

    private static LocalRuntimeOptions Options(Action<LocalRuntimeOptions>? configure = null)
    {
        var options = new LocalRuntimeOptions { SimulatorTimeScale = 0.05, SimulatorWeightLoadSeconds = 30 };
        configure?.Invoke(options);
        return options;
    }

    private static LocalTools Installed(string engine) => new(engine, Simulator, SimulatorFound: true, Dotnet);

    private static LocalTools NothingInstalled { get; } = new(null, Simulator, SimulatorFound: true, Dotnet);

    private static LocalLaunchPlan Plan(ReplicaLaunch launch, LocalTools tools, LocalRuntimeOptions? options = null) =>
        LocalLaunchPlan.For(launch, Port, options ?? Options(), tools);

    private static LocalLaunchPlan Plan(ResolvedDeployment deployment, LocalTools tools, LocalRuntimeOptions? options = null) =>
        Plan(TestDeployments.Launch(deployment), tools, options);

    private static void AssertPair(IReadOnlyList<string> arguments, string flag, string value)
    {
        var at = arguments.ToList().IndexOf(flag);
        Assert.True(at >= 0 && at + 1 < arguments.Count, $"{flag} is missing from: {string.Join(' ', arguments)}");
        Assert.Equal(value, arguments[at + 1]);
    }

    [Fact]
    public void InstalledVllm_RunsVllmServe_OnTheLoopbackPort_WithTheReplicaKey()
    {
        var plan = Plan(TestDeployments.Llama8B(), Installed("/opt/engines/bin/vllm"));

        Assert.False(plan.UsesSimulator);
        Assert.Null(plan.Note);
        Assert.Equal("/opt/engines/bin/vllm", plan.Command.Executable);
        Assert.Equal(["serve", "meta-llama/Llama-3.1-8B-Instruct"], plan.Command.Arguments.Take(2));
        AssertPair(plan.Command.Arguments, "--host", "127.0.0.1");
        AssertPair(plan.Command.Arguments, "--port", "41234");
        Assert.Equal([ReplicaSecret.Flag, TestDeployments.ApiKey], plan.Command.Arguments.TakeLast(2));
    }

    [Fact]
    public void InstalledSglang_RunsLaunchServerWithThePython_WithTheReplicaKey()
    {
        var plan = Plan(TestDeployments.Llama70BOnFourH100s(InferenceEngine.Sglang), Installed("/opt/sglang/bin/python3"),
            Options(o => o.SglangPython = "/opt/sglang/bin/python3"));

        Assert.False(plan.UsesSimulator);
        Assert.Equal("/opt/sglang/bin/python3", plan.Command.Executable);
        Assert.Equal(["-m", "sglang.launch_server", "--model-path", "meta-llama/Llama-3.1-70B-Instruct"], plan.Command.Arguments.Take(4));
        AssertPair(plan.Command.Arguments, "--tp", "4");
        AssertPair(plan.Command.Arguments, "--port", "41234");
        Assert.Equal([ReplicaSecret.Flag, TestDeployments.ApiKey], plan.Command.Arguments.TakeLast(2));
    }

    [Fact]
    public void InstalledTensorRtLlm_RunsTrtllmServe_WithoutAKey_ItHasNoSuchOption()
    {
        var plan = Plan(TestDeployments.Llama70BOnFourH100s(InferenceEngine.TensorRtLlm), Installed("/opt/trtllm/bin/trtllm-serve"));

        Assert.False(plan.UsesSimulator);
        Assert.Equal("/opt/trtllm/bin/trtllm-serve", plan.Command.Executable);
        Assert.Equal(["meta-llama/Llama-3.1-70B-Instruct", "--backend", "pytorch"], plan.Command.Arguments.Take(3));
        AssertPair(plan.Command.Arguments, "--port", "41234");
        Assert.DoesNotContain(ReplicaSecret.Flag, plan.Command.Arguments);
        Assert.DoesNotContain(plan.Command.Arguments, a => a.Contains(TestDeployments.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Simulator_StandsInWithTheProfileAndTheDeploymentsLimits()
    {
        var deployment = TestDeployments.Llama8B();

        var plan = Plan(deployment, NothingInstalled);

        Assert.True(plan.UsesSimulator);
        Assert.Equal(Dotnet, plan.Command.Executable);
        Assert.Equal(
        [
            Simulator,
            "--profile", "dedicated-8b-h100",
            "--served-model-name", "meta-llama/Llama-3.1-8B-Instruct",
            "--host", "127.0.0.1",
            "--port", "41234",
            "--time-scale", "0.05",
            "--max-model-len", deployment.Runtime.MaxContextLength.ToString(CultureInfo.InvariantCulture),
            "--max-num-seqs", deployment.Runtime.MaxConcurrentSequences.ToString(CultureInfo.InvariantCulture),
            "--weight-load-seconds", "30",
            ReplicaSecret.Flag, TestDeployments.ApiKey,
        ], plan.Command.Arguments);
        Assert.Empty(plan.Command.Environment);
    }

    [Fact]
    public void ASimulationWithSpeedOverrides_PassesThemAfterTheProfile()
    {
        var launch = TestDeployments.Launch(TestDeployments.Llama8B()) with
        {
            SimulatorProfile = "dedicated-8b-h100",
            SimulatorTimeScale = 0.1,
            SimulatorOverrides = new SimulatorFigures(0.03, 8.375, 899_616),
        };

        var arguments = Plan(launch, NothingInstalled).Command.Arguments;

        AssertPair(arguments, "--profile", "dedicated-8b-h100");
        AssertPair(arguments, "--prefill-ms-per-token", "0.03");
        AssertPair(arguments, "--inter-token-latency-ms", "8.375");
        AssertPair(arguments, "--kv-cache-tokens", "899616");
        Assert.True(arguments.ToList().IndexOf("--inter-token-latency-ms") > arguments.ToList().IndexOf("--profile"));
    }

    [Fact]
    public void ASimulationWithoutOverrides_RunsOnTheProfilesOwnSpeed()
    {
        var launch = TestDeployments.Launch(TestDeployments.Llama8B()) with { SimulatorProfile = "dedicated-8b-h100" };

        var arguments = Plan(launch, NothingInstalled).Command.Arguments;

        Assert.DoesNotContain("--inter-token-latency-ms", arguments);
        Assert.DoesNotContain("--prefill-ms-per-token", arguments);
        Assert.DoesNotContain("--kv-cache-tokens", arguments);
    }

    [Theory]
    [InlineData(InferenceEngine.Vllm)]
    [InlineData(InferenceEngine.Sglang)]
    [InlineData(InferenceEngine.TensorRtLlm)]
    public void Simulator_ChecksTheReplicaKey_WhicheverEngineItStandsInFor(InferenceEngine engine)
    {
        var plan = Plan(TestDeployments.Llama70BOnFourH100s(engine), NothingInstalled);

        Assert.Equal([ReplicaSecret.Flag, TestDeployments.ApiKey], plan.Command.Arguments.TakeLast(2));
        AssertPair(plan.Command.Arguments, "--profile", "dedicated-70b-h200");
    }

    [Fact]
    public void LaunchWithoutAKey_GivesNoKeyFlag()
    {
        var launch = TestDeployments.Launch(TestDeployments.Llama8B()) with { ApiKey = null };

        Assert.DoesNotContain(ReplicaSecret.Flag, Plan(launch, Installed("/opt/engines/bin/vllm")).Command.Arguments);
        Assert.DoesNotContain(ReplicaSecret.Flag, Plan(launch, NothingInstalled).Command.Arguments);
    }

    [Fact]
    public void WithoutAWeightLoadOverride_TheProfilesOwnTimeIsUsed()
    {
        var plan = Plan(TestDeployments.Llama8B(), NothingInstalled, Options(o => o.SimulatorWeightLoadSeconds = null));

        Assert.DoesNotContain("--weight-load-seconds", plan.Command.Arguments);
    }

    [Fact]
    public void InstalledEnginesTurnedOff_TheSimulatorStandsInEvenForAnInstalledOne()
    {
        var plan = Plan(TestDeployments.Llama8B(), Installed("/opt/engines/bin/vllm"), Options(o => o.UseInstalledEngines = false));

        Assert.True(plan.UsesSimulator);
        Assert.Equal("The simulator stands in for vLLM: installed engines are turned off (Runtimes:Local:UseInstalledEngines).", plan.Note);
    }

    [Fact]
    public void EngineNotFound_TheNoteNamesTheExecutableLookedFor()
    {
        var plan = Plan(TestDeployments.Llama70BOnFourH100s(InferenceEngine.TensorRtLlm), NothingInstalled);

        Assert.Equal("The simulator stands in for TensorRT-LLM: 'trtllm-serve' was not found on PATH.", plan.Note);
    }

    [Fact]
    public void SglangWithoutAConfiguredPython_TheNoteNamesTheSetting()
    {
        var plan = Plan(TestDeployments.Llama70BOnFourH100s(InferenceEngine.Sglang), NothingInstalled);

        Assert.Equal("The simulator stands in for SGLang: no Python with SGLang is configured (Runtimes:Local:SglangPython).", plan.Note);
    }

    [Fact]
    public void MissingSimulator_IsRefusedWithTheSettingToFix()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            Plan(TestDeployments.Llama8B(), NothingInstalled with { SimulatorFound = false }));

        Assert.Equal("The simulator is not at /srv/portal/Portal.Simulator.dll. Set Runtimes:Local:SimulatorPath to Portal.Simulator.dll.", error.Message);
    }

    [Fact]
    public void InstalledEngine_DoesNotNeedTheSimulator()
    {
        var plan = Plan(TestDeployments.Llama8B(), Installed("/opt/engines/bin/vllm") with { SimulatorFound = false });

        Assert.False(plan.UsesSimulator);
    }

    [Theory]
    [InlineData("llama-3.1-8b-instruct", true, "dedicated-8b-h100")]
    [InlineData("llama-3.1-8b-instruct", false, "serverless-8b")]
    [InlineData("llama-3.1-70b-instruct", true, "dedicated-70b-h200")]
    [InlineData("mixtral-8x7b-instruct", false, "serverless-70b")]
    public void SimulatorProfile_FollowsModelSizeAndKind(string model, bool dedicated, string profile)
    {
        var deployment = TestDeployments.Resolve(new DeploymentSpec
        {
            Name = "profile-test",
            Model = ModelReference.FromCatalog(model),
            GpuType = "b200-192gb",
            GpusPerReplica = 2,
            Region = "us-east",
        });

        Assert.Equal(profile, LocalLaunchPlan.SimulatorProfileFor(deployment, dedicated));
    }

    [Fact]
    public void PublicWeights_GetThePlatformToken_AndKeepTheHostsEnvironment()
    {
        var plan = Plan(TestDeployments.Launch(TestDeployments.Llama8B()) with { Credentials = PrivateWeights.TenantCredentials },
            NothingInstalled, Options(o => o.HuggingFaceToken = PlatformToken));

        Assert.Equal(new Dictionary<string, string> { ["HF_TOKEN"] = PlatformToken }, plan.Secrets);
        Assert.Empty(plan.Unset);
    }

    [Fact]
    public void PublicWeightsWithoutAPlatformToken_GetNoCredential()
    {
        var plan = Plan(TestDeployments.Llama8B(), NothingInstalled);

        Assert.Empty(plan.Secrets);
        Assert.Empty(plan.Unset);
    }

    [Fact]
    public void PrivateHuggingFaceWeights_GetTheTenantsTokenOnly_AndNoneOfTheHostsIdentity()
    {
        var plan = Plan(TestDeployments.Launch(PrivateWeights.HuggingFaceFineTune()) with { Credentials = PrivateWeights.TenantCredentials },
            NothingInstalled, Options(o => o.HuggingFaceToken = PlatformToken));

        Assert.Equal(new Dictionary<string, string> { ["HF_TOKEN"] = "hf_tenant_a_8c1f" }, plan.Secrets);
        Assert.Equal(WeightSources.PlatformIdentityVariables, plan.Unset);
        Assert.Contains("AWS_ACCESS_KEY_ID", plan.Unset);
        Assert.Contains("HUGGING_FACE_HUB_TOKEN", plan.Unset);
    }

    [Fact]
    public void PrivateObjectStoreWeights_GetTheTenantsKeys()
    {
        var plan = Plan(TestDeployments.Launch(PrivateWeights.ObjectStoreModel()) with { Credentials = PrivateWeights.TenantCredentials },
            Installed("/opt/engines/bin/vllm"));

        Assert.Equal(new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIATENANTA",
            ["AWS_SECRET_ACCESS_KEY"] = "tenant-a-secret-key",
            ["AWS_ENDPOINT_URL"] = "https://minio.tenant-a.test",
            ["AWS_REGION"] = "eu-central-1",
            ["AWS_DEFAULT_REGION"] = "eu-central-1",
        }, plan.Secrets);
        Assert.Equal(WeightSources.PlatformIdentityVariables, plan.Unset);
    }

    [Fact]
    public void WeightCredentials_StayOutOfTheCommandThatIsShown()
    {
        var plan = Plan(TestDeployments.Launch(PrivateWeights.ObjectStoreModel()) with { Credentials = PrivateWeights.TenantCredentials },
            Installed("/opt/engines/bin/vllm"));

        var shown = plan.Command.ToShellString();
        Assert.DoesNotContain("tenant-a-secret-key", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIATENANTA", shown, StringComparison.Ordinal);
        Assert.Empty(plan.Command.Environment);
    }

    [Fact]
    public void PrivateWeightsWithoutTheTenantsCredential_AreRefused()
    {
        var launch = TestDeployments.Launch(PrivateWeights.ObjectStoreModel()) with { Credentials = new WeightCredentials { HuggingFaceToken = "hf_x" } };

        var error = Assert.Throws<InvalidOperationException>(() => Plan(launch, NothingInstalled));

        Assert.Contains("object-store keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnGpus_TheEngineSeesOnlyTheReplicasDevices_AndTheCommandShowsThem()
    {
        var plan = Plan(TestDeployments.Llama70BOnFourH100s(), Installed("/opt/engines/bin/vllm")).OnGpus([4, 5, 6, 7]);

        Assert.Equal("4,5,6,7", plan.Command.Environment["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal([4, 5, 6, 7], plan.Gpus);
        Assert.StartsWith("CUDA_VISIBLE_DEVICES=4,5,6,7 /opt/engines/bin/vllm serve", plan.Command.ToShellString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OnNoGpus_ThePlanIsUnchanged()
    {
        var plan = Plan(TestDeployments.Llama8B(), NothingInstalled);

        Assert.Same(plan, plan.OnGpus(null));
        Assert.Null(plan.Gpus);
        Assert.False(plan.Command.Environment.ContainsKey("CUDA_VISIBLE_DEVICES"));
    }

    [Fact]
    public void Simulation_RunsTheSimulatorWithItsProfileAndTimeScale_EvenWhereAnEngineIsInstalled()
    {
        var launch = TestDeployments.Launch(TestDeployments.Llama8B()) with { SimulatorProfile = "serverless-8b", SimulatorTimeScale = 0.05 };

        var plan = Plan(launch, Installed("/opt/engines/bin/vllm"), Options(o => o.SimulatorWeightLoadSeconds = 1));

        Assert.True(plan.UsesSimulator);
        Assert.Equal("A simulation with the serverless-8b profile.", plan.Note);
        AssertPair(plan.Command.Arguments, "--profile", "serverless-8b");
        AssertPair(plan.Command.Arguments, "--time-scale", "0.05");
        Assert.DoesNotContain("--weight-load-seconds", plan.Command.Arguments); // the profile's own load time is part of what is simulated
    }
}
