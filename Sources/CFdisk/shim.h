#include <libfdisk.h>
