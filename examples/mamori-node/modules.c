/* Every mamori-node module, in the order their options are listed. */
#include "node.h"

extern const node_module_t node_udp_echo, node_defense, node_app, node_tcp, node_tls;

const node_module_t *const node_modules[] = {
    &node_udp_echo,
    &node_tcp,
    &node_defense,
    &node_app,
    &node_tls,
    NULL,
};
