namespace Sessions.Grpc.Tests.Abuse;

/// <summary>What a hostile call must end with: the exact gRPC status and, for refused tokens, the reason trailer.</summary>
/// <param name="Status">The status code; <see cref="StatusCode.OK"/> when the input is harmless and accepted.</param>
/// <param name="Reason">The <c>sessions-failure-reason</c> trailer, or <see langword="null"/> when there must be none.</param>
public sealed record Outcome(StatusCode Status, string? Reason = null)
{
    public static readonly Outcome Ok = new(StatusCode.OK);

    public static Outcome Refused(string reason) => new(StatusCode.InvalidArgument, reason);

    /// <summary>Runs <paramref name="call"/> and asserts it ends exactly as this outcome says; returns the error, if any.</summary>
    public async Task<RpcException?> AssertAsync<T>(Func<AsyncUnaryCall<T>> call)
    {
        using var pending = call();
        try
        {
            await pending.ResponseAsync;
        }
        catch (RpcException ex)
        {
            Assert.Equal(Status, ex.StatusCode);
            Assert.Equal(Reason, ex.Trailers.GetValue(SessionsMetadataKeys.FailureReason));
            return ex;
        }

        Assert.True(Status == StatusCode.OK, $"Expected {Status} ({Reason}), but the call succeeded.");
        return null;
    }
}
