using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grpc;
using Sessions.Grpc.Protocol;
using Sessions.Jwt;

namespace Sessions.Benchmarks;

/// <summary>
/// What the service edge adds to the token work of one call: <c>SessionsService.Create</c> and <c>Validate</c> as
/// <c>AddSessions()</c> registers the service (a singleton, privileged calls checked by the edge), called the way
/// grpc-dotnet calls them, against the issuer and the validator alone in the same run. Without Kestrel and without a
/// log provider: the framework's share is the load table's, the log line's is <see cref="LogLineBenchmarks"/>'.
/// Goal: the edge (request checks, reply, telemetry when nobody listens, the privileged-call check) costs a fraction
/// of the token work and allocates little beyond the reply and its strings.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ServiceEdgeBenchmarks
{
    private const string Secret = "benchmark-secret-that-is-at-least-32-bytes!";
    private const string UserId = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    private ServiceProvider _services = null!;
    private SessionsService _service = null!;
    private ISessionIssuer _issuer = null!;
    private ISessionValidator _validator = null!;
    private readonly CreateRequest _create = new() { UserId = UserId };
    private ValidateTokenRequest _validate = null!;
    private readonly BenchmarkCallContext _createContext = new("/sessions.Sessions/Create");
    private readonly BenchmarkCallContext _validateContext = new("/sessions.Sessions/Validate");

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSessions(o => o.Secret = Secret);
        _services = services.BuildServiceProvider();
        _service = _services.GetRequiredService<SessionsService>();
        _issuer = _services.GetRequiredService<ISessionIssuer>();
        _validator = _services.GetRequiredService<ISessionValidator>();
        _validate = new ValidateTokenRequest { Token = _issuer.IssueAsync(UserId).AsTask().GetAwaiter().GetResult().Token };
        ReferenceTokens.Require(Validate_Edge(), "the edge validates the token it issued");
        ReferenceTokens.Require(Create_Edge().Length > 0, "the edge issues a token");
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "issuer alone")]
    [BenchmarkCategory("Create")]
    public string Create_Issuer() => Completed(_issuer.IssueAsync(UserId)).Token;

    [Benchmark(Description = "SessionsService.Create")]
    [BenchmarkCategory("Create")]
    public string Create_Edge() => _service.Create(_create, _createContext).GetAwaiter().GetResult().Token;

    [Benchmark(Baseline = true, Description = "validator alone")]
    [BenchmarkCategory("Validate")]
    public bool Validate_Validator() => Completed(_validator.ValidateAsync(_validate.Token)).IsValid;

    [Benchmark(Description = "SessionsService.Validate")]
    [BenchmarkCategory("Validate")]
    public bool Validate_Edge() => _service.Validate(_validate, _validateContext).GetAwaiter().GetResult().Valid;

    private static T Completed<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("The in-memory issuer and validator complete synchronously.");

    /// <summary>The call context of a unary call as the service sees it; nothing of it is read on the hot path but the method.</summary>
    private sealed class BenchmarkCallContext(string method) : ServerCallContext
    {
        private readonly Metadata _headers = [];
        private readonly Metadata _trailers = [];

        protected override string MethodCore => method;

        protected override string HostCore => "127.0.0.1";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore => _headers;

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore => _trailers;

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
