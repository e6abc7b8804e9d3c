/*
 * Control bits of the TCP header's flags byte (RFC 9293 §3.1; CWR from
 * RFC 3168 §6.1), shared by the stack and the ports that look into frames.
 */
#ifndef MAMORI_TCP_WIRE_H
#define MAMORI_TCP_WIRE_H

#define MAMORI_TCP_F_FIN 0x01
#define MAMORI_TCP_F_SYN 0x02
#define MAMORI_TCP_F_RST 0x04
#define MAMORI_TCP_F_PSH 0x08
#define MAMORI_TCP_F_ACK 0x10
#define MAMORI_TCP_F_URG 0x20
#define MAMORI_TCP_F_CWR 0x80

#endif
