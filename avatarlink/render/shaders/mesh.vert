#version 330 core
// Diffuse light is computed here, per vertex, and interpolated: the faces are
// dense and smooth, so it looks the same as per pixel, and on a software
// rasteriser the light loop then runs ~10x less often. The fragment shader
// keeps what must stay sharp: the key light's highlight and the fresnel rim.
struct DirectionalLight { vec3 color; float intensity; vec3 direction; };
layout(location = 0) in vec3 position;
#ifdef NORMAL_LOC
layout(location = NORMAL_LOC) in vec3 normal;
#endif
layout(location = INST_M_LOC) in mat4 inst_m;
uniform mat4 M;
uniform mat4 V;
uniform mat4 P;
uniform vec3 cam_pos;
uniform vec3 ambient_light;
uniform DirectionalLight directional_lights[MAX_DIRECTIONAL_LIGHTS];
uniform int n_directional_lights;
out vec3 frag_position;
out vec3 frag_normal;
out vec3 frag_diffuse;
void main()
{
    mat4 model = M * inst_m;
    vec4 world = model * vec4(position, 1.0);
    gl_Position = P * V * world;
    frag_position = world.xyz;
#ifdef NORMAL_LOC
    vec3 n = normalize(mat3(model) * normal);
#else
    vec3 n = vec3(0.0, 0.0, 1.0);
#endif
    // light the side that faces the camera (thin, two-sided parts such as lids)
    if (dot(n, cam_pos - world.xyz) < 0.0) n = -n;
    frag_normal = n;
    // sky / ground ambient, then wrapped diffuse from key, fill and rim
    vec3 diffuse = mix(ambient_light * vec3(0.55, 0.5, 0.5), ambient_light, 0.5 + 0.5 * n.y);
    for (int i = 0; i < n_directional_lights; i++) {
        float wrap = clamp((dot(n, -directional_lights[i].direction) + 0.45) / 1.45, 0.0, 1.0);
        diffuse += directional_lights[i].intensity * directional_lights[i].color * wrap * wrap;
    }
    frag_diffuse = diffuse;
}
