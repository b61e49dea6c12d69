using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Sessions.Grpc.Protocol;

namespace Sessions.Tests.LifecycleModel;

/// <summary>
/// A model-based concurrency test of the session lifecycle over the wire: a seeded random driver runs rounds of
/// concurrent Create, Refresh (replays of old refresh tokens inside and beyond the grace period included), Revoke (by
/// id and by token), RevokeAll and Validate calls against real servers — one or several instances sharing a store —
/// on a controllable clock that jumps past grace periods, lifetimes and purges. A small reference model of chains,
/// successors and revocations says, for every call, what must happen (or that either outcome is allowed, when calls
/// of the same round conflict and may be ordered either way), and checks:
/// <list type="bullet">
/// <item>G1: nothing covered by a completed revocation is ever accepted again (sessions, refresh tokens, chains),
/// however much time passes while what it covers could still live;</item>
/// <item>G2: every refresh token has at most one successor; presentations within the grace period get the same one;
/// a presentation after it revokes the chain and all its sessions;</item>
/// <item>G3: a refresh concurrent with a revocation that covers it produces nothing that survives the revocation;</item>
/// <item>liveness: what must be accepted is (so a store that refuses everything fails too), and no call ends in
/// <c>INTERNAL</c> or <c>UNKNOWN</c>.</item>
/// </list>
/// A violation throws <see cref="LifecycleModelViolationException"/> naming the seed and the round: rerun with that seed.
/// </summary>
public sealed class LifecycleModel
{
    private readonly IReadOnlyList<Sessions.Grpc.Protocol.Sessions.SessionsClient> _clients;
    private readonly FakeTimeProvider _clock;
    private readonly LifecycleModelOptions _options;
    private readonly Func<Task> _settle;
    private readonly Random _random;
    private readonly List<string> _users;
    private readonly List<SessionItem> _sessions = [];
    private readonly List<RefreshItem> _refreshTokens = [];

    // As the stores keep them (Shared/SessionStoreLimits.cs): the used tokens of a chain whose successor a retry within
    // the grace period still gets.
    private const int SealedSuccessorsKept = 2;
    private long _usedOrder;
    private readonly List<ChainItem> _chains = [];
    private int _round;

    /// <param name="clients">One client per server instance; calls go to a random one.</param>
    /// <param name="clock">The clock every instance reads; only the model moves it, by whole seconds.</param>
    /// <param name="options">Sizes, seed and the lifetimes the servers were configured with.</param>
    /// <param name="settle">
    /// Runs after every round, before the next: waits until every instance has applied the round's revocations
    /// (cross-instance propagation); nothing for one instance.
    /// </param>
    public LifecycleModel(IReadOnlyList<Sessions.Grpc.Protocol.Sessions.SessionsClient> clients, FakeTimeProvider clock, LifecycleModelOptions options, Func<Task>? settle = null)
    {
        _clients = clients;
        _clock = clock;
        _options = options;
        _settle = settle ?? (() => Task.CompletedTask);
        _random = new Random(options.Seed);
        _users = Enumerable.Range(0, options.Users).Select(_ => NewGuid().ToString("D")).ToList();
    }

    /// <summary>Calls made, by kind and outcome: shows a run exercised what it claims to.</summary>
    public Dictionary<string, int> Counts { get; } = [];

    /// <summary>Runs <see cref="LifecycleModelOptions.Operations"/> calls in rounds and checks every outcome.</summary>
    public async Task RunAsync()
    {
        var done = 0;
        while (done < _options.Operations)
        {
            _round++;
            var ops = PlanRound();
            await Task.WhenAll(ops.Select(RunAsync));
            Check(ops);
            Apply(ops);
            done += ops.Count;
            Advance();
            await _settle();
        }
    }

    /// <summary>
    /// Writes the calls made, by kind and outcome, and checks the run exercised what it checks: refreshes that succeed
    /// and replays refused, sessions accepted and refused, revocations of users.
    /// </summary>
    /// <param name="write">Receives one line per kind and outcome (a test's output).</param>
    public void CheckExercised(Action<string> write)
    {
        foreach (var (kind, count) in Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            write($"{kind}: {count}");
        }

        foreach (var (kind, least) in new[] { ("Refresh ok", 100), ("Refresh InvalidArgument", 100), ("Validate ok", 100), ("Validate InvalidArgument", 100), ("RevokeAll ok", 20) })
        {
            if (Counts.GetValueOrDefault(kind) <= least)
            {
                Fail($"the run made {Counts.GetValueOrDefault(kind)} calls of kind '{kind}', fewer than the {least} it needs to check anything");
            }
        }
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    private long NowSeconds => Now.ToUnixTimeSeconds();

    // ---------------------------------------------------------------- planning

    private List<Op> PlanRound()
    {
        var ops = new List<Op>();
        var revocationsThisRound = 0;
        while (ops.Count < _options.Concurrency)
        {
            var roll = _random.NextDouble();
            Op? op;
            if (roll < 0.14 || _sessions.Count == 0)
            {
                op = new Op(OpKind.Create) { User = Pick(_users) };
            }
            else if (roll < 0.52)
            {
                op = PlanRefresh();
            }
            else if (roll < 0.80)
            {
                op = new Op(OpKind.Validate) { Session = PickRecentSession() };
            }
            else if (revocationsThisRound >= 2)
            {
                continue;
            }
            else if (roll < 0.88)
            {
                revocationsThisRound++;
                op = new Op(OpKind.RevokeById) { Session = PickRecentSession() };
            }
            else if (roll < 0.95)
            {
                revocationsThisRound++;
                op = new Op(OpKind.RevokeByToken) { Session = PickRecentSession() };
            }
            else
            {
                revocationsThisRound++;
                op = new Op(OpKind.RevokeAll) { User = Pick(_users) };
            }

            if (op is not null)
            {
                ops.Add(op);
            }
        }

        // Parallel presentations of one refresh token (two tabs, a retried call): the chain must not fork.
        var refresh = ops.FirstOrDefault(o => o.Kind == OpKind.Refresh);
        if (refresh is not null && _random.NextDouble() < 0.5)
        {
            ops[_random.Next(ops.Count)] = new Op(OpKind.Refresh) { Refresh = refresh.Refresh };
        }

        foreach (var op in ops)
        {
            op.Client = _clients[_random.Next(_clients.Count)];
        }

        return ops;
    }

    private Op? PlanRefresh()
    {
        if (_refreshTokens.Count == 0)
        {
            return null;
        }

        // Mostly the newest token of a chain (how clients behave), sometimes any earlier one (replays, thieves).
        var recent = _refreshTokens.Where(t => t.Successor is null && t.ExpiresAt > NowSeconds).ToList();
        var token = recent.Count > 0 && _random.NextDouble() < 0.65
            ? Pick(recent)
            : _refreshTokens[_refreshTokens.Count - 1 - _random.Next(Math.Min(_refreshTokens.Count, 40))];
        return new Op(OpKind.Refresh) { Refresh = token };
    }

    private SessionItem PickRecentSession() => _sessions[_sessions.Count - 1 - _random.Next(Math.Min(_sessions.Count, 40))];

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    // ---------------------------------------------------------------- running

    private async Task RunAsync(Op op)
    {
        try
        {
            switch (op.Kind)
            {
                case OpKind.Create:
                    op.Reply = await op.Client.CreateAsync(new CreateRequest { UserId = op.User, WithRefreshToken = true });
                    break;
                case OpKind.Refresh:
                    op.Reply = await op.Client.RefreshAsync(new RefreshSessionRequest { RefreshToken = op.Refresh!.Token });
                    break;
                case OpKind.Validate:
                    op.Reply = await op.Client.ValidateAsync(new ValidateTokenRequest { Token = op.Session!.Token });
                    break;
                case OpKind.RevokeById:
                    await op.Client.RevokeAsync(new RevokeSessionRequest { SessionId = op.Session!.Id });
                    break;
                case OpKind.RevokeByToken:
                    await op.Client.RevokeAsync(new RevokeSessionRequest { Token = op.Session!.Token });
                    break;
                case OpKind.RevokeAll:
                    await op.Client.RevokeAllAsync(new RevokeUserSessionsRequest { UserId = op.User });
                    break;
            }

            op.Succeeded = true;
        }
        catch (RpcException ex)
        {
            op.Status = ex.Status;
        }

        var name = op.Kind + (op.Succeeded ? " ok" : " " + op.Status.StatusCode);
        lock (Counts)
        {
            Counts[name] = Counts.GetValueOrDefault(name) + 1;
        }
    }

    // ---------------------------------------------------------------- checking

    private void Check(List<Op> ops)
    {
        foreach (var op in ops)
        {
            if (!op.Succeeded && op.Status.StatusCode is StatusCode.Internal or StatusCode.Unknown)
            {
                Fail($"{op} ended in {op.Status.StatusCode}: {op.Status.Detail}");
            }

            switch (op.Kind)
            {
                case OpKind.Create or OpKind.RevokeAll or OpKind.RevokeById:
                    Expect(op, Outcome.Success);
                    break;
                case OpKind.RevokeByToken:
                    Expect(op, IsExpiredOrNear(op.Session!.ExpiresAt) ? Outcome.Either : Outcome.Success);
                    break;
                case OpKind.Validate:
                    Expect(op, ExpectValidate(op.Session!, ops));
                    break;
                case OpKind.Refresh:
                    Expect(op, ExpectRefresh(op.Refresh!, ops));
                    if (op.Succeeded && op.Refresh!.Successor is { } successor && op.Reply!.RefreshToken != successor.Token)
                    {
                        Fail($"{op} got a second successor: the chain forked (G2)");
                    }

                    break;
            }
        }

        // Presentations of one token in one round: one successor between them (G2).
        foreach (var group in ops.Where(o => o.Kind == OpKind.Refresh && o.Succeeded).GroupBy(o => o.Refresh!))
        {
            if (group.Select(o => o.Reply!.RefreshToken).Distinct().Count() > 1)
            {
                Fail($"{group.Count()} parallel refreshes of one token got {group.Select(o => o.Reply!.RefreshToken).Distinct().Count()} different successors: the chain forked (G2)");
            }

            if (group.Select(o => o.Reply!.Token).Distinct().Count() > 1)
            {
                Fail($"{group.Count()} parallel refreshes of one token got different session tokens");
            }
        }
    }

    private Outcome ExpectValidate(SessionItem session, List<Op> ops)
    {
        if (IsExpiredOrNear(session.ExpiresAt))
        {
            return NowSeconds >= session.ExpiresAt ? Outcome.Failure : Outcome.Either;
        }

        return session.State switch
        {
            State.Dead => Outcome.Failure,
            State.Alive when !CoveredThisRound(session, ops) => Outcome.Success,
            _ => Outcome.Either,
        };
    }

    private Outcome ExpectRefresh(RefreshItem token, List<Op> ops)
    {
        var chain = token.Chain;
        var now = NowSeconds;
        if (chain.State == State.Dead || token.State == State.Dead)
        {
            return Outcome.Failure;
        }

        if (token.UsedAt is { } usedAt && now - usedAt > _options.GraceSeconds)
        {
            return Outcome.Failure;
        }

        // Within the grace period, a used token gets its successor again only while it is one of the chain's
        // SealedSuccessorsKept most recently used tokens; an older one is a reuse.
        var usedAfter = token.UsedAt is null ? 0 : UsedAfter(token);
        if (usedAfter >= SealedSuccessorsKept)
        {
            return Outcome.Failure;
        }

        if (token.UsedAt is not null && usedAfter + 1 >= SealedSuccessorsKept && HeadRotatesThisRound(chain, ops))
        {
            return Outcome.Either;
        }

        if (now >= token.ExpiresAt || now >= chain.EndsAt)
        {
            // A token used within the grace period may still hand out its successor; an unused one is expired.
            return token.UsedAt is null ? Outcome.Failure : Outcome.Either;
        }

        if (IsExpiredOrNear(token.ExpiresAt) || IsExpiredOrNear(chain.EndsAt) || chain.State == State.Maybe || token.State == State.Maybe || CoveredThisRound(chain, ops))
        {
            return Outcome.Either;
        }

        return Outcome.Success;
    }

    // Whether a call of this round may revoke the session (in some order of the round's calls).
    private bool CoveredThisRound(SessionItem session, List<Op> ops) =>
        ops.Any(o => (o.Kind == OpKind.RevokeAll && o.User == session.User) ||
                     (o.Kind is OpKind.RevokeById or OpKind.RevokeByToken && o.Session == session)) ||
        (session.Chain is { } chain && CoveredThisRound(chain, ops));

    private bool CoveredThisRound(ChainItem chain, List<Op> ops) =>
        ops.Any(o => (o.Kind == OpKind.RevokeAll && o.User == chain.User) ||
                     (o.Kind is OpKind.RevokeById or OpKind.RevokeByToken && o.Session!.Chain == chain) ||
                     (o.Kind == OpKind.Refresh && o.Refresh!.Chain == chain && o.Refresh.UsedAt is { } used && NowSeconds - used > _options.GraceSeconds));

    private bool IsExpiredOrNear(long expiresAt) => NowSeconds >= expiresAt - 1;

    // How many tokens of the token's chain were used after it.
    private int UsedAfter(RefreshItem token) =>
        _refreshTokens.Count(other => other.Chain == token.Chain && other.UsedOrder > token.UsedOrder);

    private static bool HeadRotatesThisRound(ChainItem chain, List<Op> ops) =>
        ops.Any(o => o.Kind == OpKind.Refresh && o.Refresh!.Chain == chain && o.Refresh.UsedAt is null);

    private void Expect(Op op, Outcome expected)
    {
        if (expected == Outcome.Success && !op.Succeeded)
        {
            Fail($"{op} must succeed but ended in {op.Status.StatusCode}: {op.Status.Detail}");
        }

        if (expected == Outcome.Failure && op.Succeeded)
        {
            Fail($"{op} must be refused but succeeded");
        }

        if (!op.Succeeded && op.Status.StatusCode is not (StatusCode.InvalidArgument or StatusCode.Unavailable))
        {
            Fail($"{op} ended in {op.Status.StatusCode} ({op.Status.Detail}); a refusal is InvalidArgument");
        }
    }

    // ---------------------------------------------------------------- applying

    private void Apply(List<Op> ops)
    {
        var now = NowSeconds;
        var revokedUsers = ops.Where(o => o.Kind == OpKind.RevokeAll && o.Succeeded).Select(o => o.User!).ToHashSet();
        var existingChains = _chains.ToList();
        var existingSessions = _sessions.ToList();

        foreach (var op in ops.Where(o => o.Succeeded && o.Kind == OpKind.Create))
        {
            var chain = new ChainItem(op.User!, now + _options.AbsoluteLifetimeSeconds) { State = revokedUsers.Contains(op.User!) ? State.Maybe : State.Alive };
            _chains.Add(chain);
            var session = AddSession(op.Reply!, op.User!, chain, chain.State);
            AddRefreshToken(op.Reply!, chain, session, chain.State);
        }

        foreach (var group in ops.Where(o => o.Succeeded && o.Kind == OpKind.Refresh).GroupBy(o => o.Refresh!))
        {
            var presented = group.Key;
            if (presented.UsedAt is null)
            {
                presented.UsedAt = now;
                presented.UsedOrder = ++_usedOrder;
            }

            if (presented.Successor is null)
            {
                var reply = group.First().Reply!;
                var session = AddSession(reply, presented.Chain.User, presented.Chain, State.Alive);
                presented.Successor = AddRefreshToken(reply, presented.Chain, session, State.Alive);
            }
        }

        // Reuse after the grace period revokes the chain, as does one of a token used before the chain's
        // SealedSuccessorsKept latest (the server says so: its successor is no longer kept).
        foreach (var op in ops.Where(o => o.Kind == OpKind.Refresh && !o.Succeeded && o.Refresh!.UsedAt is { } used &&
                     (now - used > _options.GraceSeconds || o.Status.Detail.Contains("already used", StringComparison.Ordinal))))
        {
            Kill(op.Refresh!.Chain, $"{op} refused as a reuse");
        }

        // Revocations: whatever they cover is dead, including what a concurrent refresh produced (G3).
        foreach (var op in ops.Where(o => o.Succeeded && o.Kind is OpKind.RevokeById or OpKind.RevokeByToken))
        {
            op.Session!.State = State.Dead;
            if (op.Session.Chain is { } chain)
            {
                Kill(chain, op.ToString());
            }
        }

        foreach (var user in revokedUsers)
        {
            foreach (var chain in existingChains.Where(c => c.User == user))
            {
                Kill(chain, "RevokeAll(" + user + ")");
            }

            foreach (var session in existingSessions.Where(s => s.User == user))
            {
                session.State = State.Dead;
            }
        }
    }

    private SessionItem AddSession(TokenReply reply, string user, ChainItem chain, State state)
    {
        var session = new SessionItem(reply.Token, reply.SessionId, user, chain, reply.ExpiredAt) { State = state };
        _sessions.Add(session);
        chain.Sessions.Add(session);
        return session;
    }

    private RefreshItem AddRefreshToken(TokenReply reply, ChainItem chain, SessionItem session, State state)
    {
        var token = new RefreshItem(reply.RefreshToken, chain, reply.RefreshExpiresAt) { State = state };
        _refreshTokens.Add(token);
        chain.Tokens.Add(token);
        return token;
    }

    private void Kill(ChainItem chain, string cause)
    {
        if (chain.State != State.Dead)
        {
            chain.DeathCause = $"{cause} in round {_round}";
        }

        chain.State = State.Dead;
        foreach (var session in chain.Sessions)
        {
            session.State = State.Dead;
        }

        foreach (var token in chain.Tokens)
        {
            token.State = State.Dead;
        }
    }

    private void Advance()
    {
        // Whole seconds, so that a round's calls share one clock second and no iat is ambiguous across rounds.
        var roll = _random.NextDouble();
        var seconds = roll switch
        {
            < 0.55 => 1,
            < 0.80 => _options.GraceSeconds + 1,
            < 0.95 => _options.LifetimeSeconds + 1,
            _ => _options.RefreshTokenLifetimeSeconds + 1,
        };
        _clock.Advance(TimeSpan.FromSeconds(seconds));
    }

    private void Fail(string what) =>
        throw new LifecycleModelViolationException($"seed {_options.Seed}, round {_round}, at {Now:O}: {what}");

    // ---------------------------------------------------------------- model items

    private enum OpKind
    {
        Create,
        Refresh,
        Validate,
        RevokeById,
        RevokeByToken,
        RevokeAll,
    }

    private enum Outcome
    {
        Success,
        Failure,
        Either,
    }

    private enum State
    {
        Alive,
        Maybe,
        Dead,
    }

    private sealed class Op(OpKind kind)
    {
        public OpKind Kind { get; } = kind;

        public string? User { get; init; }

        public SessionItem? Session { get; init; }

        public RefreshItem? Refresh { get; init; }

        public Sessions.Grpc.Protocol.Sessions.SessionsClient Client { get; set; } = null!;

        public bool Succeeded { get; set; }

        public Status Status { get; set; }

        public TokenReply? Reply { get; set; }

        public override string ToString() => Kind switch
        {
            OpKind.Create or OpKind.RevokeAll => $"{Kind}(user {User})",
            OpKind.Refresh => $"Refresh(token #{Refresh!.GetHashCode():x} of chain #{Refresh.Chain.GetHashCode():x}, used at {Refresh.UsedAt}, chain {Refresh.Chain.State} {Refresh.Chain.DeathCause}, token {Refresh.State})",
            _ => $"{Kind}(session {Session!.Id} of user {Session.User}, {Session.State}, expires {Session.ExpiresAt})",
        };
    }

    private sealed class ChainItem(string user, long endsAt)
    {
        public string User { get; } = user;

        public long EndsAt { get; } = endsAt;

        public State State { get; set; }

        public string? DeathCause { get; set; }

        public List<SessionItem> Sessions { get; } = [];

        public List<RefreshItem> Tokens { get; } = [];
    }

    private sealed class SessionItem(string token, string id, string user, ChainItem? chain, long expiresAt)
    {
        public string Token { get; } = token;

        public string Id { get; } = id;

        public string User { get; } = user;

        public ChainItem? Chain { get; } = chain;

        public long ExpiresAt { get; } = expiresAt;

        public State State { get; set; }
    }

    private sealed class RefreshItem(string token, ChainItem chain, long expiresAt)
    {
        public string Token { get; } = token;

        public ChainItem Chain { get; } = chain;

        public long ExpiresAt { get; } = expiresAt;

        public long? UsedAt { get; set; }

        // The order in which the chain's tokens were used (UsedAt has whole seconds).
        public long UsedOrder { get; set; }

        public RefreshItem? Successor { get; set; }

        public State State { get; set; }
    }
}
