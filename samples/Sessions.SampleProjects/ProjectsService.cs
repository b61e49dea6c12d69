using System.Collections.Concurrent;
using Grpc.Core;
using Sessions.Grpc;
using Sessions.SampleProjects.Protocol;

namespace Sessions.SampleProjects;

/// <summary>
/// The projects of each user, in memory, keyed by the session's subject. The session was validated by
/// <see cref="SessionAuthenticationInterceptor"/> before the call got here; this class only reads it. Each session's
/// list is kept in the <see cref="SessionCache"/>.
/// </summary>
/// <param name="cache">The per-session cache, which session events clear.</param>
public sealed class ProjectsService(SessionCache cache) : Protocol.Projects.ProjectsBase
{
    /// <summary>The longest project name accepted: 100 characters.</summary>
    public const int MaxNameLength = 100;

    private readonly ConcurrentDictionary<string, List<Project>> _projects = new(StringComparer.Ordinal);

    /// <summary>Lists the caller's projects, oldest first.</summary>
    /// <param name="request">The request (empty).</param>
    /// <param name="context">The call context, which holds the session.</param>
    /// <returns>The caller's projects.</returns>
    public override Task<ListProjectsReply> ListProjects(ListProjectsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = context.GetRequiredSession();
        return Task.FromResult(cache.GetOrAdd(session, () =>
        {
            var reply = new ListProjectsReply();
            if (_projects.TryGetValue(session.Subject, out var projects))
            {
                lock (projects)
                {
                    reply.Projects.AddRange(projects);
                }
            }

            return reply;
        }));
    }

    /// <summary>Creates a project owned by the caller.</summary>
    /// <param name="request">The name of the project.</param>
    /// <param name="context">The call context, which holds the session.</param>
    /// <returns>The new project.</returns>
    /// <exception cref="RpcException"><see cref="StatusCode.InvalidArgument"/> when the name is empty or too long.</exception>
    public override Task<Project> CreateProject(CreateProjectRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var owner = context.GetRequiredSession().Subject;
        var name = request.Name.Trim();
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"name must be 1 to {MaxNameLength} characters."));
        }

        var project = new Project { Id = Guid.NewGuid().ToString("D"), Name = name, Owner = owner };
        var projects = _projects.GetOrAdd(owner, static _ => []);
        lock (projects)
        {
            projects.Add(project);
        }

        cache.ForgetSubject(owner);   // the owner's cached lists no longer hold every project
        return Task.FromResult(project);
    }
}
