# xenkvm-api, the EC2-style management API (toolstack/api), and its CUnit suite.
API_LIB_SRCS := $(filter-out toolstack/api/main.c,$(wildcard toolstack/api/*.c))
# The run directory's library is xl's (toolstack/domains): one reading of it for both.
API_LIB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(API_LIB_SRCS) toolstack/domains/rundir.c)
API_LIBS := -lxml2 -lcrypto
# Recursive: toolstack/cfg/build.mk, which defines the libxml2 flags, is included after us.
CFLAGS_toolstack_api = $(CFLAGS_toolstack_cfg)
CFLAGS_tests_unit_api = $(CFLAGS_toolstack_cfg)

# The command line and start-up; end-to-end with a real EC2 client (boto3) and kit
# guests under KVM.
CHECK_SUITES += tests/compat/api-cli.sh kvm:tests/compat/api-boto3.sh
# A Debian Linux instance end to end (KVM_XEN: in the test host).
CHECK_SUITES += testhost:tests/real/api-linux

$(eval $(call unit_binary,api_unit,$(wildcard tests/unit/api/*.c),$(API_LIB_OBJS),$(API_LIBS)))

$(BIN)/xenkvm-api: $(OBJ)/toolstack/api/main.o $(API_LIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@";)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(API_LIBS) $(LDLIBS)

BINS += $(BIN)/xenkvm-api
