// SPDX-License-Identifier: GPL-2.0
/*
 * vifspec parsing as xl's parse_nic_config() does it (xl-network-configuration(5)):
 * comma-separated `key=value` parameters, empty ones skipped, leading spaces
 * stripped, a later value of a key replacing an earlier one. `rate` follows libxlu's
 * xlu_vif_parse_rate(): `N[GMK]{B|b}/s[@N[m|u]s]`, bits divided by 8, a 50 ms
 * interval by default. Unlike xl, which only warns, an unknown or COLO parameter is
 * an error here: xenkvm would otherwise drop it silently. One key is xenkvm's own:
 * hostnet=tap|loopback, where the backend's frames go (drivers-pv/net_host.h).
 */
#include <errno.h>
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/cfg/domcfg.h"

static int verr(char *msg, size_t sz, const char *what, const char *val)
{
	snprintf(msg, sz, "%s `%s'", what, val);
	return -EINVAL;
}

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	bool ok;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return ok;
}

static int parse_rate(struct dom_vif *v, const char *rate, char *msg, size_t sz)
{
	char buf[128], *at, *p;
	unsigned long long bps, usecs = 50000;

	if (strlen(rate) >= sizeof(buf))
		return verr(msg, sz, "invalid rate", rate);
	strcpy(buf, rate);
	at = strchr(buf, '@');
	if (at)
		*at++ = 0;
	if (!*buf)
		return verr(msg, sz, "no rate specified in", rate);
	if (!matches("^[0-9]+[GMK]?[Bb]/s$", buf))
		return verr(msg, sz, "invalid rate", buf);
	errno = 0;
	bps = strtoull(buf, &p, 10);
	if (bps == 0 || bps > UINT32_MAX || errno)
		return verr(msg, sz, "rate overflow", buf);
	bps *= *p == 'G' ? 1000000000ull : *p == 'M' ? 1000000ull : *p == 'K' ? 1000ull : 1;
	if (*p == 'b' || p[1] == 'b')
		bps /= 8;
	if (at) {
		if (!matches("^[0-9]+[mu]?s?$", at))
			return verr(msg, sz, "invalid replenishment interval", at);
		errno = 0;
		usecs = strtoull(at, &p, 10);
		if (usecs == 0 || usecs > UINT32_MAX || errno)
			return verr(msg, sz, "replenishment interval overflow", at);
		if (*p == 's' || !*p)
			usecs *= 1000000;
		else if (*p == 'm')
			usecs *= 1000;
		if (usecs > UINT32_MAX)
			return verr(msg, sz, "replenishment interval overflow", at);
	}
	if (bps > UINT64_MAX / usecs)
		return verr(msg, sz, "rate overflow", rate);
	v->rate_bytes_per_interval = bps * usecs / 1000000;
	v->rate_interval_usecs = (uint32_t)usecs;
	return 0;
}

/* Six hex groups of one or two digits separated by colons, as libxl writes them. */
static int parse_mac(struct dom_vif *v, const char *s, char *msg, size_t sz)
{
	const char *p = s;

	for (int i = 0; i < 6; i++) {
		char *end;
		unsigned long b = strtoul(p, &end, 16);

		if (end == p || end - p > 2 || b > 255 || (i < 5 ? *end != ':' : *end != 0))
			return verr(msg, sz, "invalid mac", s);
		v->mac[i] = (uint8_t)b;
		p = end + 1;
	}
	if (v->mac[0] & 1)
		return verr(msg, sz, "mac is a multicast address:", s);
	v->mac_set = true;
	return 0;
}

static int set_str(char **slot, const char *val)
{
	free(*slot);
	*slot = strdup(val);
	return *slot ? 0 : -ENOMEM;
}

static int vif_param(struct dom_vif *v, const char *tok, char *msg, size_t sz)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
		{ "bridge", offsetof(struct dom_vif, bridge) },
		{ "script", offsetof(struct dom_vif, script) },
		{ "ip", offsetof(struct dom_vif, ip) },
		{ "vifname", offsetof(struct dom_vif, vifname) },
		{ "model", offsetof(struct dom_vif, model) },
		{ "gatewaydev", offsetof(struct dom_vif, gatewaydev) },
		{ "netdev", offsetof(struct dom_vif, gatewaydev) },
		{ "backend", offsetof(struct dom_vif, backend_domname) },
	};
	const char *eq = strchr(tok, '=');
	const char *val = eq ? eq + 1 : "";
	size_t klen = eq ? (size_t)(eq - tok) : strlen(tok);
	char key[32];

	if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted")) {
		v->trusted = tok[0] == 't' ? TRI_TRUE : TRI_FALSE;
		return 0;
	}
	if (!eq || klen >= sizeof(key))
		return verr(msg, sz, "unknown vif parameter", tok);
	memcpy(key, tok, klen);
	key[klen] = 0;
	for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++)
		if (!strcmp(key, strs[i].name))
			return set_str((char **)((char *)v + strs[i].off), val);
	if (!strcmp(key, "mac"))
		return parse_mac(v, val, msg, sz);
	if (!strcmp(key, "type")) {
		if (strcmp(val, "vif") && strcmp(val, "ioemu"))
			return verr(msg, sz, "invalid vif type (vif or ioemu)", val);
		return set_str(&v->type, val);
	}
	if (!strcmp(key, "hostnet")) {
		if (strcmp(val, "tap") && strcmp(val, "loopback"))
			return verr(msg, sz, "invalid hostnet (tap or loopback)", val);
		return set_str(&v->hostnet, val);
	}
	if (!strcmp(key, "rate")) {
		int rc = parse_rate(v, val, msg, sz);

		return rc ? rc : set_str(&v->rate, val);
	}
	if (!strcmp(key, "mtu") || !strcmp(key, "devid")) {
		char *end;
		long n = strtol(val, &end, 10);

		if (end == val || *end || n < 0 || n > 65535)
			return verr(msg, sz, key[0] == 'm' ? "invalid mtu" : "invalid devid", val);
		*(key[0] == 'm' ? &v->mtu : &v->devid) = (int)n;
		return 0;
	}
	if (!strncmp(key, "colo_", 5) || !strcmp(key, "forwarddev"))
		return verr(msg, sz, "COLO is not supported by xenkvm:", key);
	if (!strcmp(key, "vlan") || !strcmp(key, "accel"))
		return verr(msg, sz, "vif parameter not supported by xenkvm:", key);
	return verr(msg, sz, "unknown vif parameter", key);
}

int domcfg_parse_vif(const char *spec, int devid, struct dom_vif *v, char *msg, size_t msgsz)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	int rc = 0;

	memset(v, 0, sizeof(*v));
	v->devid = devid;
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (*tok)
			rc = vif_param(v, tok, msg, msgsz);
	}
	free(copy);
	if (rc)
		domcfg_vif_free(v);
	return rc;
}

void domcfg_vif_free(struct dom_vif *v)
{
	free(v->bridge);
	free(v->script);
	free(v->ip);
	free(v->vifname);
	free(v->model);
	free(v->gatewaydev);
	free(v->backend_domname);
	free(v->type);
	free(v->rate);
	free(v->hostnet);
	memset(v, 0, sizeof(*v));
}
