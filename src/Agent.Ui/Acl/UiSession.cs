using Consul.Core.Acl;
using Microsoft.AspNetCore.Components.Authorization;

namespace Consul.Ui.Acl;

/// <summary>
/// Per-circuit (and per prerender) login state. The token comes from the cookie principal that
/// the framework hands the circuit when it starts (the hub connection's HttpContext.User), so a
/// page never sees a token it was not signed in with. Logging in or out reloads the page, which
/// starts a new circuit with the new principal.
/// </summary>
public sealed class UiSession
{
    private readonly IUiTokenChecker _checker;
    private readonly AuthenticationStateProvider? _auth;
    private bool _loaded;
    private string? _token;
    private UiTokenCheckResult? _info;

    public UiSession(IUiTokenChecker checker, AuthenticationStateProvider? auth = null)
    {
        _checker = checker;
        _auth = auth;
        if (_auth is not null) _auth.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <summary>The signed-in token's secret; null means anonymous (the agent's default token).</summary>
    public string? Token
    {
        get { EnsureLoaded(); return _token; }
    }

    public UiTokenCheckResult? TokenInfo
    {
        get { EnsureLoaded(); return _info; }
    }

    public bool SignedIn => Token is not null;

    public bool AclsEnabled => _checker.AclsEnabled;

    /// <summary>What this user may see, resolved now (cheap: the resolver caches compiled policies).</summary>
    public Authorizer Authorizer => _checker.AuthorizerFor(Token);

    public event Action? Changed;

    public void SignIn(string token, UiTokenCheckResult info)
    {
        _loaded = true;
        _token = token;
        _info = info;
        Changed?.Invoke();
    }

    public void SignOut()
    {
        _loaded = true;
        _token = null;
        _info = null;
        Changed?.Invoke();
    }

    // The server's provider holds a completed task once the framework has set the user (before
    // any component renders); until then there is nothing to load and we try again next time.
    private void EnsureLoaded()
    {
        if (_loaded || _auth is null) return;
        Task<AuthenticationState> state;
        try
        {
            state = _auth.GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            return;
        }
        if (!state.IsCompletedSuccessfully) return;
        Load(state.Result);
    }

    private void Load(AuthenticationState state)
    {
        _loaded = true;
        _token = UiAuth.SecretOf(state.User);
        _info = UiAuth.InfoOf(state.User);
    }

    private void OnAuthenticationStateChanged(Task<AuthenticationState> task)
    {
        if (!task.IsCompletedSuccessfully) return;
        Load(task.Result);
        Changed?.Invoke();
    }
}
