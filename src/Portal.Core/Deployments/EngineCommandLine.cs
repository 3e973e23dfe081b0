using System.Globalization;
using Portal.Core.Sizing;

namespace Portal.Core.Deployments;

/// <summary>
/// The engine command line for a deployment, with each engine's own flag names: vLLM (<c>vllm serve</c>),
/// SGLang (<c>python3 -m sglang.launch_server</c>) and TensorRT-LLM (<c>trtllm-serve</c>, PyTorch backend). None of them
/// logs request contents (<see cref="EngineRequestLogging"/>).
/// </summary>
public static class EngineCommandLine
{
    /// <summary>The port engines listen on inside a container.</summary>
    public const int DefaultPort = 8000;

    /// <param name="apiKey">
    /// The replica's secret (or a reference such as <c>$(VAR)</c> that Kubernetes expands), passed as <c>--api-key</c>
    /// to engines that check one (<see cref="ReplicaSecret.EngineChecksKey"/>); null = no key.
    /// </param>
    public static EngineCommand Render(ResolvedDeployment deployment, int port = DefaultPort, string host = "0.0.0.0", string? apiKey = null)
    {
        var command = deployment.Engine switch
        {
            InferenceEngine.Vllm => Vllm(deployment, port, host),
            InferenceEngine.Sglang => Sglang(deployment, port, host),
            InferenceEngine.TensorRtLlm => TensorRtLlm(deployment, port, host),
            _ => throw new ArgumentOutOfRangeException(nameof(deployment), deployment.Engine, "Unknown engine."),
        };
        return apiKey is not null && ReplicaSecret.EngineChecksKey(deployment.Engine)
            ? command with { Arguments = [.. command.Arguments, ReplicaSecret.Flag, apiKey] }
            : command;
    }

    private static EngineCommand Vllm(ResolvedDeployment d, int port, string host)
    {
        var runtime = d.Runtime;
        var args = new List<string> { "serve", d.ModelPath };
        AddIf(args, "--revision", d.Revision);
        args.AddRange(["--served-model-name", d.ServedModelName, "--host", host, "--port", Int(port)]);
        args.AddRange(["--tensor-parallel-size", Int(d.GpusPerReplica)]);
        args.AddRange(["--max-model-len", Int(runtime.MaxContextLength)]);
        args.AddRange(["--max-num-seqs", Int(runtime.MaxConcurrentSequences)]);
        args.AddRange(["--gpu-memory-utilization", Fraction(runtime.GpuMemoryUtilization)]);
        args.AddRange(["--kv-cache-dtype", runtime.KvCacheDtype == KvCacheDtype.Fp8 ? "fp8" : "auto"]);
        AddIf(args, "--quantization", VllmQuantization(runtime.Quantization));
        args.AddRange(["--attention-backend", VllmAttention(runtime.AttentionBackend, d.Architecture.UsesLatentAttention)]);
        args.AddRange(["--scheduling-policy", runtime.SchedulingPolicy == SchedulingPolicy.Priority ? "priority" : "fcfs"]);
        args.Add(runtime.ChunkedPrefill ? "--enable-chunked-prefill" : "--no-enable-chunked-prefill");
        if (d.ModelPath.StartsWith("s3://", StringComparison.Ordinal))
        {
            // vLLM streams safetensors straight from object storage with the Run:ai model streamer.
            args.AddRange(["--load-format", "runai_streamer"]);
        }

        if (d.Adapter is { } adapter)
        {
            args.AddRange(["--enable-lora", "--lora-modules", $"{d.ServedModelName}={adapter}"]);
        }

        return new EngineCommand("vllm", args, new Dictionary<string, string>());
    }

    private static EngineCommand Sglang(ResolvedDeployment d, int port, string host)
    {
        var runtime = d.Runtime;
        var args = new List<string> { "-m", "sglang.launch_server", "--model-path", d.ModelPath };
        AddIf(args, "--revision", d.Revision);
        args.AddRange(["--served-model-name", d.ServedModelName, "--host", host, "--port", Int(port)]);
        args.AddRange(["--tp", Int(d.GpusPerReplica)]);
        args.AddRange(["--context-length", Int(runtime.MaxContextLength)]);
        args.AddRange(["--max-running-requests", Int(runtime.MaxConcurrentSequences)]);
        args.AddRange(["--mem-fraction-static", Fraction(runtime.GpuMemoryUtilization)]);
        args.AddRange(["--kv-cache-dtype", runtime.KvCacheDtype == KvCacheDtype.Fp8 ? "fp8_e4m3" : "auto"]);
        AddIf(args, "--quantization", SglangQuantization(runtime.Quantization));
        args.AddRange(["--attention-backend", runtime.AttentionBackend switch
        {
            AttentionBackend.FlashInfer => "flashinfer",
            AttentionBackend.CutlassMla => "cutlass_mla",
            _ => "fa3",
        }]);
        args.AddRange(["--schedule-policy", "fcfs"]);
        if (runtime.SchedulingPolicy == SchedulingPolicy.Priority)
        {
            args.Add("--enable-priority-scheduling");
        }

        if (!runtime.ChunkedPrefill)
        {
            args.AddRange(["--chunked-prefill-size", "-1"]);
        }

        if (d.Adapter is { } adapter)
        {
            args.AddRange(["--enable-lora", "--lora-paths", $"{d.ServedModelName}={adapter}"]);
        }

        return new EngineCommand("python3", args, new Dictionary<string, string>());
    }

    // Quantization and the KV-cache dtype come from the checkpoint for TensorRT-LLM; the validator refuses other values.
    private static EngineCommand TensorRtLlm(ResolvedDeployment d, int port, string host)
    {
        var runtime = d.Runtime;
        var args = new List<string> { d.ModelPath, "--backend", "pytorch", "--host", host, "--port", Int(port) };
        args.AddRange(["--tp_size", Int(d.GpusPerReplica)]);
        args.AddRange(["--max_seq_len", Int(runtime.MaxContextLength)]);
        args.AddRange(["--max_batch_size", Int(runtime.MaxConcurrentSequences)]);
        args.AddRange(["--kv_cache_free_gpu_memory_fraction", Fraction(runtime.GpuMemoryUtilization)]);
        args.AddRange(["--log_level", EngineRequestLogging.TensorRtLlmLogLevel]);
        return new EngineCommand("trtllm-serve", args, new Dictionary<string, string>());
    }

    /// <summary>Null keeps the checkpoint's own dtype (no flag).</summary>
    private static string? VllmQuantization(Quantization quantization) => quantization switch
    {
        Quantization.None => null,
        Quantization.Fp8 => "fp8",
        Quantization.Awq => "awq",
        Quantization.Gptq => "gptq",
        Quantization.Fp4 => "modelopt_fp4",
        _ => throw new ArgumentOutOfRangeException(nameof(quantization), quantization, null),
    };

    /// <summary>Null keeps the checkpoint's own dtype (no flag).</summary>
    private static string? SglangQuantization(Quantization quantization) => quantization switch
    {
        Quantization.None => null,
        Quantization.Fp8 => "fp8",
        Quantization.Awq => "awq",
        Quantization.Gptq => "gptq",
        Quantization.Fp4 => "modelopt_fp4",
        _ => throw new ArgumentOutOfRangeException(nameof(quantization), quantization, null),
    };

    // vLLM names the latent-attention variants of each kernel family separately.
    private static string VllmAttention(AttentionBackend backend, bool latent) => (backend, latent) switch
    {
        (AttentionBackend.CutlassMla, _) => "CUTLASS_MLA",
        (AttentionBackend.FlashInfer, true) => "FLASHINFER_MLA",
        (AttentionBackend.FlashInfer, false) => "FLASHINFER",
        (_, true) => "FLASH_ATTN_MLA",
        _ => "FLASH_ATTN",
    };

    private static void AddIf(List<string> args, string flag, string? value)
    {
        if (value is not null)
        {
            args.AddRange([flag, value]);
        }
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Fraction(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);
}
