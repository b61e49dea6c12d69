using Sessions.Grpc.Tests.Infrastructure;
using Sessions.Redis.Tests.Infrastructure;

namespace Sessions.Grpc.Tests.SampleServer;

/// <summary>
/// The sample server given a Redis Cluster in <c>SESSIONS_REDIS</c>: the one .ci/run starts on 127.0.0.1:7000–7005
/// (or <c>SESSIONS_TEST_REDIS_CLUSTER</c>), or one started for this class.
/// </summary>
public sealed class SampleRedisClusterTests(SharedCluster cluster) : IClassFixture<SharedCluster>
{
    [Fact]
    public async Task A_SESSIONS_REDIS_cluster_with_defaultDatabase_1_stops_start_up_with_one_line_saying_a_cluster_has_database_0_only()
    {
        // Before, the line said the cluster "cannot be reached or read: start Redis there", which it could: a cluster
        // has database 0 only, and nothing in the line named defaultDatabase.
        const string password = "sample-cluster-password-never-shown-0123";
        var (exitCode, stdout, stderr) = await SampleServerProcess.RunToExitAsync(new Dictionary<string, string>
        {
            ["PORT"] = "0",
            ["HTTP_PORT"] = "0",
            ["SESSIONS_REDIS"] = $"{cluster.Configuration},defaultDatabase=1,user=default,password={password}",
        });

        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(exitCode == 1, $"exit code {exitCode}\n{stdout}\n{stderr}");
        Assert.Equal(
            $"Sessions.SampleServer cannot start: SESSIONS_REDIS names a Redis Cluster ({string.Join(", ", cluster.Configuration.Split(','))}) and defaultDatabase=1: "
            + "a cluster has database 0 only. Remove defaultDatabase from the configuration string, or set it to 0.",
            line);
        Assert.DoesNotContain("cannot be reached", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(password, stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }
}
