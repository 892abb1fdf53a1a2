"""The autocast dtype a bench side uses on a GPU: the learner's rule, so the bench measures what learners get.

bfloat16 only where the device runs it natively (CUDA capability 8.0 and up: A100, H100, RTX 30xx and later);
float16 (with a GradScaler when training) below that (T4, V100, P100), where cuDNN has no bf16 convolutions and
`torch.cuda.is_bf16_supported()` still says True (it counts emulation). lesson_kit.learner.amp_dtype decides
where lesson_kit has it; until then `capability_rule` here applies the same rule.
"""
import torch


def capability_rule(device):
    "bfloat16 on a CUDA `device` of capability >= 8.0, float16 on an older one, None off CUDA."
    device = torch.device(device)
    if device.type != 'cuda': return None
    return torch.bfloat16 if torch.cuda.get_device_capability(device) >= (8, 0) else torch.float16


def amp_dtype(device='cuda'):
    "The autocast dtype for `device`: `lesson_kit.learner.amp_dtype` if lesson_kit has it, else `capability_rule`."
    try:
        from lesson_kit.learner import amp_dtype as learner_rule
    except ImportError: learner_rule = None
    return (learner_rule or capability_rule)(torch.device(device))


def rule_source():
    "Which rule `amp_dtype` follows, for reports."
    try:
        from lesson_kit.learner import amp_dtype  # noqa: F401
    except ImportError: return 'bench/sides/precision.py (lesson_kit.learner.amp_dtype not there yet)'
    return 'lesson_kit.learner.amp_dtype'
