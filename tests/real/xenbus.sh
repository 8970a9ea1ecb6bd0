# A xenstore client for busybox sh (tests/real/README.md): requests go through Linux's
# xenbus device (/dev/xen/xenbus, drivers/xen/xenbus/xenbus_dev_frontend.c), which takes
# whole xsd_sockmsg messages (io/xs_wire.h: type, req_id, tx_id, len, then len bytes) and
# queues the reply for read(2) on the same open file. The message types are xs_wire.h's
# enum xsd_sockmsg_type: XS_READ 2, XS_WRITE 11, XS_ERROR 16.
# shellcheck shell=sh

XB_DEV=${XB_DEV:-/dev/xen/xenbus}

# xb_le32 N: N as four little-endian bytes.
xb_le32() {
	printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))"
	printf "\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 24 & 255)))"
}

# xb_request TYPE PATH [VALUE]: one request (PATH NUL-terminated, VALUE raw after it); the
# reply's payload, NULs dropped, on stdout. Fails with XB_ERROR set to the xenstore error
# (e.g. ENOENT) or to what went wrong on the device.
xb_request() {
	type=$1 path=$2 value=${3-}
	len=$((${#path} + 1 + ${#value}))
	XB_ERROR=
	[ -c "$XB_DEV" ] || { XB_ERROR="no $XB_DEV"; return 1; }
	exec 9<>"$XB_DEV" || { XB_ERROR="cannot open $XB_DEV"; return 1; }
	{
		xb_le32 "$type"
		xb_le32 0
		xb_le32 0
		xb_le32 $len
		printf '%s\000%s' "$path" "$value"
	} >/tmp/xb.req
	cat /tmp/xb.req >&9
	dd bs=4096 count=1 <&9 >/tmp/xb.reply 2>/dev/null
	exec 9<&-
	rtype=$(od -An -tu4 -N4 /tmp/xb.reply | tr -d ' ')
	body=$(tail -c +17 /tmp/xb.reply | tr -d '\000')
	if [ "$rtype" != "$type" ]; then
		XB_ERROR=${body:-"reply type ${rtype:-none}"}
		return 1
	fi
	echo "$body"
}

# xenbus_read PATH: the node's value.
xenbus_read() {
	xb_request 2 "$1"
}

# xenbus_write PATH VALUE: writes the node (xenstored answers "OK").
xenbus_write() {
	xb_request 11 "$1" "$2" >/dev/null
}
