namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddSessions()</c> to configure the sessions service further.
/// </summary>
public interface ISessionsBuilder
{
    /// <summary>The service collection the sessions service was added to.</summary>
    IServiceCollection Services { get; }
}
