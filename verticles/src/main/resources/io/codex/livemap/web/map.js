/* Codex live map: devices from WS /ws/live drawn as one WebGL circle layer (clustered at low zoom),
   updated in place with source.setData; no DOM element per device. */
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('codex-config').textContent);
  var TOKEN_KEY = 'codex.map.token';
  var EMPTY = { type: 'FeatureCollection', features: [] };

  var devices = new Map();        // deviceId -> GeoJSON Feature (latest)
  var updates = 0;                // positions received, for the status line and tests
  var lastMessageAt = 0;
  var dirty = false;
  var selected = null;
  var alerts = [];
  var ws = null;
  var retryMs = 500;
  var subscribed = null;          // JSON of the last subscribe message
  var mapReady = false;
  var $ = function (id) { return document.getElementById(id); };

  // ---------------------------------------------------------------- token
  // A link may carry the token in its fragment (#token=…): never sent to any server, moved to
  // sessionStorage at once and removed from the address bar and history.
  (function takeTokenFromFragment() {
    var m = /(?:^|[#&])token=([^&]+)/.exec(location.hash || '');
    if (!m) return;
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.search);
  })();
  function token() { return sessionStorage.getItem(TOKEN_KEY); }
  function authHeaders() { return { 'Authorization': 'Bearer ' + token() }; }

  function showLogin(error) {
    $('login-error').textContent = error || '';
    $('login').hidden = false;
    $('signout').hidden = true;
  }
  function signedIn(t) {
    sessionStorage.setItem(TOKEN_KEY, t);
    $('login').hidden = true;
    $('signout').hidden = false;
    connect();
    loadGeofences();
    loadAlerts();
  }
  function checkAndUse(t) {
    return fetch('/api/v1/auth/me', { headers: { 'Authorization': 'Bearer ' + t } }).then(function (r) {
      if (r.status === 401) throw new Error('This token is invalid or expired.');
      if (!r.ok) throw new Error('The server answered ' + r.status + '.');
      return r.json();
    }).then(function (me) {
      var roles = me.roles || [];
      if (!roles.some(function (x) { return x === 'viewer' || x === 'analyst' || x === 'admin'; })) {
        throw new Error('The live map needs the role viewer, analyst or admin (this token has ' + roles.join(', ') + ').');
      }
      signedIn(t);
    });
  }
  $('login-token').addEventListener('submit', function (e) {
    e.preventDefault();
    var t = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!t) return showLogin('Paste a token first.');
    checkAndUse(t).catch(function (err) { showLogin(err.message); });
  });
  $('login-client').addEventListener('submit', function (e) {
    e.preventDefault();
    fetch('/api/v1/auth/token', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: $('client-id').value.trim(), clientSecret: $('client-secret').value })
    }).then(function (r) {
      if (r.status === 401 || r.status === 400) throw new Error('Unknown client or wrong secret.');
      if (!r.ok) throw new Error('The server answered ' + r.status + '.');
      return r.json();
    }).then(function (body) {
      $('client-secret').value = '';
      return checkAndUse(body.access_token);
    }).catch(function (err) { showLogin(err.message); });
  });
  $('signout').addEventListener('click', function () {
    sessionStorage.removeItem(TOKEN_KEY);
    if (ws) ws.close(1000, 'signed out');
    devices.clear();
    dirty = true;
    showLogin('');
  });

  // ---------------------------------------------------------------- map
  var offlineStyle = {
    version: 8,
    // no glyphs: this style draws no text, so it needs no font server
    sources: { countries: { type: 'geojson', data: '/map/assets/countries-110m.geojson' } },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#0b1f33' } },
      { id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#1b2c40' } },
      { id: 'countries-line', type: 'line', source: 'countries', paint: { 'line-color': '#3b5674', 'line-width': 0.7 } }
    ]
  };
  if (!mapboxgl.supported()) {
    $('message').textContent = 'This browser cannot draw the map: WebGL is not available.';
  }
  if (cfg.mapboxToken) mapboxgl.accessToken = cfg.mapboxToken;
  var map = new mapboxgl.Map({
    container: 'map',
    style: cfg.mapboxToken ? cfg.mapboxStyle : offlineStyle,
    center: [10, 30],
    zoom: 1.3,
    attributionControl: false,
    preserveDrawingBuffer: true   // lets a screenshot read the canvas
  });
  window.__errors = [];
  map.on('error', function (e) {
    var text = (e && e.error && e.error.message) || String(e);
    window.__errors.push(text);
    $('message').textContent = 'Map: ' + text;
  });
  map.addControl(new mapboxgl.NavigationControl({ showCompass: false }), 'bottom-left');
  map.addControl(new mapboxgl.AttributionControl({
    compact: true,
    customAttribution: cfg.mapboxToken ? '' : 'Country outlines: Natural Earth'
  }));

  map.on('load', function () {
    map.addSource('geofences', { type: 'geojson', data: EMPTY });
    map.addLayer({ id: 'geofences-fill', type: 'fill', source: 'geofences', paint: { 'fill-color': '#f0a36b', 'fill-opacity': 0.12 } });
    map.addLayer({ id: 'geofences-line', type: 'line', source: 'geofences', paint: { 'line-color': '#f0a36b', 'line-width': 1.5 } });
    map.addSource('devices', { type: 'geojson', data: EMPTY, cluster: true, clusterMaxZoom: 6, clusterRadius: 36 });
    map.addLayer({
      id: 'heat', type: 'heatmap', source: 'devices', layout: { visibility: 'none' },
      paint: {
        'heatmap-weight': ['coalesce', ['get', 'point_count'], 1],
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 0, 0.6, 9, 2],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 0, 8, 9, 24],
        'heatmap-opacity': 0.85
      }
    });
    map.addLayer({
      id: 'clusters', type: 'circle', source: 'devices', filter: ['has', 'point_count'],
      paint: {
        'circle-color': ['step', ['get', 'point_count'], '#4fc3f7', 25, '#7e8cf7', 100, '#c77df2'],
        'circle-radius': ['step', ['get', 'point_count'], 9, 25, 13, 100, 18],
        'circle-opacity': 0.85, 'circle-stroke-width': 1.5, 'circle-stroke-color': '#e6f4ff'
      }
    });
    map.addLayer({
      id: 'devices', type: 'circle', source: 'devices', filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': '#4fc3f7', 'circle-radius': ['interpolate', ['linear'], ['zoom'], 2, 3.5, 12, 7],
        'circle-stroke-width': 1, 'circle-stroke-color': '#e6f4ff'
      }
    });
    map.addLayer({
      id: 'selected', type: 'circle', source: 'devices', filter: ['==', ['get', 'deviceId'], ''],
      paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-width': 2.5, 'circle-stroke-color': '#ffd166' }
    });
    if (map.getStyle().glyphs) {
      // a Mapbox style brings fonts: label the clusters with their size
      map.addLayer({
        id: 'cluster-count', type: 'symbol', source: 'devices', filter: ['has', 'point_count'],
        layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-size': 11 }, paint: { 'text-color': '#0b1522' }
      });
    }
    map.on('click', 'clusters', function (e) {
      var f = e.features[0];
      map.getSource('devices').getClusterExpansionZoom(f.properties.cluster_id, function (err, zoom) {
        if (!err) map.easeTo({ center: f.geometry.coordinates, zoom: zoom });
      });
    });
    map.on('click', 'devices', function (e) { select(e.features[0].properties.deviceId); });
    ['clusters', 'devices'].forEach(function (l) {
      map.on('mouseenter', l, function () { map.getCanvas().style.cursor = 'pointer'; });
      map.on('mouseleave', l, function () { map.getCanvas().style.cursor = ''; });
    });
    map.on('moveend', function () { setTimeout(subscribe, 250); });
    mapReady = true;
    dirty = true;
    subscribe();   // the socket may have been ready before the map
  });

  // at most one setData per animation frame, however many messages arrived
  function render() {
    if (dirty && mapReady) {
      dirty = false;
      map.getSource('devices').setData({ type: 'FeatureCollection', features: Array.from(devices.values()) });
      if (selected) showDevice(selected);
    }
    updateStatus();
    requestAnimationFrame(render);
  }
  requestAnimationFrame(render);

  $('heatmap').addEventListener('change', function (e) {
    var on = e.target.checked;
    if (!mapReady) return;
    map.setLayoutProperty('heat', 'visibility', on ? 'visible' : 'none');
    map.setLayoutProperty('clusters', 'visibility', on ? 'none' : 'visible');
  });

  // ---------------------------------------------------------------- live socket
  function viewport() {
    // the view plus half of it on each side, so that short pans need no new snapshot
    var b = map.getBounds();
    var w = b.getWest(), e = b.getEast(), s = b.getSouth(), n = b.getNorth();
    var dx = (e - w) / 2, dy = (n - s) / 2;
    if (map.getZoom() < 3 || e - w + 2 * dx >= 360) return null;
    var wrap = function (x) { return ((x + 540) % 360) - 180; };
    return [wrap(w - dx), Math.max(-90, s - dy), wrap(e + dx), Math.min(90, n + dy)].map(function (x) {
      return Math.round(x * 1e4) / 1e4;
    });
  }
  function subscribe() {
    if (!ws || ws.readyState !== 1 || !mapReady) return;
    var msg = { type: 'subscribe' };
    var bbox = viewport();
    if (bbox) msg.bbox = bbox;
    var text = JSON.stringify(msg);
    if (text === subscribed) return;
    subscribed = text;
    ws.send(text);
  }
  function connect() {
    if (!token()) return showLogin('');
    if (ws && ws.readyState <= 1) return;
    var proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    // the token goes in the first message, not the URL, so that no proxy or log ever sees it
    ws = new WebSocket(proto + location.host + '/ws/live');
    subscribed = null;
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: 'auth', token: token() }));
    };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      lastMessageAt = Date.now();
      if (m.type === 'ready') {
        retryMs = 500;
        subscribe();
      } else if (m.type === 'positions') {
        if (m.snapshot) devices.clear();
        for (var i = 0; i < m.features.length; i++) {
          var f = m.features[i];
          devices.set(f.properties.deviceId, f);
        }
        updates += m.features.length;
        dirty = true;
      } else if (m.type === 'alert') {
        addAlert('alert', m.alert || {});
      } else if (m.type === 'geofence') {
        addAlert('geofence', m.event || {});
        loadGeofences();
      } else if (m.type === 'error') {
        $('message').textContent = 'Server: ' + m.message;
      }
    };
    ws.onclose = function (ev) {
      ws = null;
      if (ev.code === 4401 || ev.code === 4403) {
        sessionStorage.removeItem(TOKEN_KEY);
        showLogin(ev.code === 4401 ? 'Your token is invalid or expired: sign in again.' : 'Your token may not see the live map (' + ev.reason + ').');
        return;
      }
      if (ev.code === 1000 && !token()) return;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    };
  }
  function updateStatus() {
    var s = $('status');
    if (!ws || ws.readyState !== 1) {
      s.textContent = token() ? 'reconnecting…' : 'not connected';
      s.className = 'status down';
      return;
    }
    var age = lastMessageAt ? ((Date.now() - lastMessageAt) / 1000).toFixed(1) + ' s ago' : 'waiting for data';
    s.textContent = 'live · ' + devices.size + ' devices · last update ' + age;
    s.className = 'status live';
  }

  // ---------------------------------------------------------------- device panel
  function select(id) {
    selected = id;
    if (mapReady) map.setFilter('selected', ['==', ['get', 'deviceId'], id || '']);
    showDevice(id);
  }
  function showDevice(id) {
    var f = id && devices.get(id);
    $('device').hidden = !f;
    if (!f) return;
    var p = f.properties;
    $('device-id').textContent = p.deviceId;
    var dl = $('device-props');
    dl.textContent = '';
    [['sensor', p.sensorType], ['time', p.timestamp], ['received', p.receivedAt],
      ['position', f.geometry.coordinates.map(function (x) { return x.toFixed(5); }).join(', ')]].forEach(function (kv) {
      var dt = document.createElement('dt');
      var dd = document.createElement('dd');
      dt.textContent = kv[0];
      dd.textContent = kv[1] == null ? '—' : kv[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    var payload = typeof p.payload === 'string' ? p.payload : JSON.stringify(p.payload, null, 2);
    $('device-payload').textContent = payload;
  }
  $('device-close').addEventListener('click', function () { select(null); });

  // ---------------------------------------------------------------- search (GET /api/v1/geocode)
  $('search').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = $('search-q').value.trim();
    if (!q) return;
    var byId = devices.get(q);
    if (byId) {
      map.flyTo({ center: byId.geometry.coordinates, zoom: 12 });
      select(q);
      return;
    }
    fetch('/api/v1/geocode?limit=1&q=' + encodeURIComponent(q), { headers: authHeaders() }).then(function (r) {
      if (r.status === 404) throw new Error('Place search is not available on this server yet.');
      if (r.status === 401 || r.status === 403) throw new Error('Your token may not search places.');
      if (!r.ok) throw new Error('Search failed (' + r.status + ').');
      return r.json();
    }).then(function (fc) {
      var f = fc && fc.features && fc.features[0];
      if (!f) throw new Error('No place matches "' + q + '".');
      var bbox = f.bbox || (f.properties && f.properties.bbox);
      if (bbox && bbox.length === 4) map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { maxZoom: 13 });
      else map.flyTo({ center: f.geometry.coordinates, zoom: 11 });
      $('message').textContent = (f.properties && (f.properties.label || f.properties.name)) || '';
    }).catch(function (err) { $('message').textContent = err.message; });
  });

  // ---------------------------------------------------------------- geofences and alerts
  function circle(center, radiusMeters) {
    var pts = [];
    var lat = center[1] * Math.PI / 180;
    for (var i = 0; i <= 64; i++) {
      var a = 2 * Math.PI * i / 64;
      pts.push([center[0] + radiusMeters * Math.sin(a) / (111320 * Math.cos(lat)), center[1] + radiusMeters * Math.cos(a) / 110540]);
    }
    return { type: 'Polygon', coordinates: [pts] };
  }
  function asFeature(g) {
    if (g.type === 'Feature') return g;
    var geometry = g.geometry || g.polygon || null;
    var c = g.circle || (g.center ? g : null);
    if (!geometry && c && c.center) geometry = circle(c.center, c.radiusMeters || 0);
    if (!geometry) return null;
    return { type: 'Feature', geometry: geometry, properties: { id: g.id, name: g.name } };
  }
  function loadGeofences() {
    if (!token()) return;
    fetch('/api/v1/geofences', { headers: authHeaders() }).then(function (r) {
      if (!r.ok) return null;   // the geofence service may not be deployed: nothing to draw
      return r.json();
    }).then(function (body) {
      if (!body || !mapReady) return;
      var list = body.type === 'FeatureCollection' ? body.features : (Array.isArray(body) ? body : (body.geofences || []));
      map.getSource('geofences').setData({ type: 'FeatureCollection', features: list.map(asFeature).filter(Boolean) });
    }).catch(function () { /* optional */ });
  }
  function loadAlerts() {
    if (!token()) return;
    fetch('/api/v1/alerts', { headers: authHeaders() }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && Array.isArray(body.alerts)) body.alerts.slice(-50).forEach(function (a) { addAlert('alert', a); });
      }).catch(function () { /* optional */ });
  }
  function addAlert(kind, a) {
    alerts.unshift({ kind: kind, a: a });
    alerts.length = Math.min(alerts.length, 50);
    var ol = $('alerts');
    ol.textContent = '';
    alerts.forEach(function (x) {
      var li = document.createElement('li');
      var k = document.createElement('span');
      k.className = 'kind';
      k.textContent = x.kind === 'alert' ? (x.a.rule || 'alert') : (x.a.transition || x.a.type || 'geofence');
      li.appendChild(k);
      var what = x.kind === 'alert'
        ? ' ' + (x.a.deviceId || '') + (x.a.field ? ' ' + x.a.field + '=' + x.a.value : '')
        : ' ' + (x.a.deviceId || '') + ' ' + (x.a.geofenceName || x.a.geofenceId || '');
      li.appendChild(document.createTextNode(what + (x.a.timestamp ? ' · ' + x.a.timestamp : '')));
      li.addEventListener('click', function () {
        var d = devices.get(x.a.deviceId);
        if (d) { map.flyTo({ center: d.geometry.coordinates, zoom: 12 }); select(x.a.deviceId); }
      });
      ol.appendChild(li);
    });
    $('alert-count').textContent = alerts.length;
  }
  setInterval(loadGeofences, 60000);

  // ---------------------------------------------------------------- hooks for tests and the curious
  window.codexMap = {
    map: map,
    /** devices received so far (latest position each) */
    deviceCount: function () { return devices.size; },
    /** positions received in total */
    updates: function () { return updates; },
    /** deviceId -> [lon, lat] of the data given to the map */
    positions: function () {
      var out = {};
      devices.forEach(function (f, id) { out[id] = f.geometry.coordinates.slice(0, 2); });
      return out;
    },
    /** devices drawn on the canvas now (a cluster counts as its size) */
    renderedDevices: function () {
      if (!mapReady) return 0;
      return map.queryRenderedFeatures({ layers: ['clusters', 'devices'] }).reduce(function (n, f) {
        return n + (f.properties.point_count || 1);
      }, 0);
    },
    connected: function () { return !!ws && ws.readyState === 1; }
  };

  if (token()) signedIn(token()); else showLogin('');
})();
