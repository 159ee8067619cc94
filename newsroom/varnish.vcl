# Varnish in front of Newsroom (docs/varnish.md): readers' pages kept as long as the app's s-maxage says,
# purged by surrogate key (xkey, from Debian's varnish-modules) when a story changes. Varnish 7.1.
vcl 4.1;

import xkey;

# The app server (granian). Tests put the live server's address into a copy.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers. Add their addresses when they are not on this machine.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # An ESI include of a page already let in (the right column): straight to the cache, nothing to decide.
    if (req.esi_level > 0) {
        return (hash);
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "A purge needs an xkey-purge header"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, staff previews and the view-counting beacon are never cached.
    if (req.url ~ "^/(admin|preview|views)/") {
        return (pass);
    }
    # Staff with a session see the site live (the app marks their pages no-cache). A reader with a made-up
    # session cookie passes too, and is served from the app's own page cache.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Any other cookie (analytics, csrftoken) means nothing to public pages: without it, one copy serves all.
    unset req.http.Cookie;
    # We fill ESI includes: pages leave Trending Now as <esi:include src="/fragments/trending/"/>, which is
    # kept here for its own short lifetime while the page around it is kept until purged.
    set req.http.Surrogate-Capability = "varnish=ESI/1.0";
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control ~ "ESI/1.0") {
        unset beresp.http.Surrogate-Control;
        set beresp.do_esi = true;
    }
}

# Varnish takes its TTL from the app's s-maxage (then max-age); staff get no-cache, private. A long TTL is
# fine: a save purges the pages it changed by key, and pages say to drop them when the next story goes live.

sub vcl_deliver {
    if (req.esi_level > 0) {  # a part of a page: its headers are not sent
        return (deliver);
    }
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Keys are for this cache only.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
