// Storage must know nothing of feedback rules: this include is what the check must catch.
#include <string>

#include "rocksdb/db.h"
#include "service/domain/access.h"
